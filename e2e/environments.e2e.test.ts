/**
 * Every template is a place: each world is made from the lobby, drawn with its own shell, light and
 * sky, from nothing but this server (no request leaves the machine), with no page errors, and
 * neither too dark nor blown out, in the full graphics tier chosen in the lobby; and left to
 * choose, a browser drawing without a graphics card (this one) draws the light tier, and draws a
 * still room only when something changes.
 * Screenshots: test-results/e2e/env-<template>.png and env-office-light.png.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EnvironmentProbe } from '../client/testing/testHook';
import { TEMPLATE_LAYOUTS } from '../shared/model/props';
import { WORLD_TEMPLATES, type WorldTemplateId } from '../shared/model/worlds';
import { joinWorld, type TestParticipant } from '../server/testing/clients';
import { createWorld, SHOTS, screenshot, useE2e } from './support/harness';
import { decodePng } from './support/png';

const e2e = useE2e();

/** Mean brightness (0..255) and mean colour of a band of rows of a screenshot. */
function band(file: string, fromRow: number, toRow: number): { luma: number; r: number; g: number; b: number } {
  const image = decodePng(readFileSync(file));
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let y = Math.floor(image.height * fromRow); y < Math.floor(image.height * toRow); y++) {
    for (let x = 0; x < image.width; x += 2) {
      const i = (y * image.width + x) * 4;
      r += image.pixels[i]!;
      g += image.pixels[i + 1]!;
      b += image.pixels[i + 2]!;
      n++;
    }
  }
  r /= n;
  g /= n;
  b /= n;
  return { luma: 0.2126 * r + 0.7152 * g + 0.0722 * b, r, g, b };
}

/** Bob's look: orange shirt, curly hair, a cap and round glasses. */
const LOOK = { body: '#f58231', skin: '#8d5524', hair: 'curly', hairColour: '#111111', headwear: 'cap', glasses: 'round' };

/**
 * A second person joins through the real client protocol (no second browser to draw in software GL)
 * and stands two metres ahead of the first, facing them: their avatar is part of the picture.
 */
async function visitor(page: Page, worldId: string): Promise<TestParticipant> {
  const bob = await joinWorld(e2e.server.url, worldId, 'Bob', { look: LOOK });
  const { eye } = await page.evaluate(() => window.__dwc!.view());
  // people arrive facing -z; half a turn about the vertical faces +z, back at the first person
  bob.sendRaw('pose', { type: 'pose', head: [eye[0], eye[1], eye[2] - 2.2, 0, 1, 0, 0], left: null, right: null });
  await expect.poll(() => page.evaluate((id) => window.__dwc!.avatarVisible(id), bob.room.sessionId), { timeout: 15_000 }).toBe(true);
  return bob;
}

describe('world environments', () => {
  it('draws every template as its own lit place, offline and within its draw-call budget', async () => {
    const seen: Record<string, EnvironmentProbe> = {};
    for (const template of Object.keys(WORLD_TEMPLATES)) {
      // one page at a time: a world left open would go on rendering in software GL
      const page = await e2e.openLobby(`Ann in the ${template}`);
      await page.getByTestId('graphics').selectOption('full');
      await page.getByTestId('world-template').selectOption(template);
      const worldId = await createWorld(page, `A ${template}`);
      // the template's furniture: every prop of its layout, each kind drawn from its model
      await expect.poll(() => page.evaluate(() => window.__dwc!.props!().length), { timeout: 15_000 }).toBe(TEMPLATE_LAYOUTS[template as WorldTemplateId].length);
      await expect
        .poll(() => page.evaluate(() => window.__dwc!.propKinds!().filter((k) => k.drawnFrom !== 'model').map((k) => k.kind)), { timeout: 30_000 })
        .toEqual([]);
      const bob = await visitor(page, worldId);
      // the environment light is made and prefiltered in the page; wait for it and a few frames more
      await page.waitForFunction(() => window.__dwc?.environment?.()?.lightReady === true, null, { timeout: 30_000 });
      const frames = await page.evaluate(() => window.__dwc!.renderedFrames());
      await page.waitForFunction((n) => window.__dwc!.renderedFrames() > n + 3, frames, { timeout: 30_000 });
      const env = (await page.evaluate(() => window.__dwc!.environment!()))!;
      seen[template] = env;
      const stats = await screenshot(page, `env-${template}`);
      expect(env.template).toBe(template);
      expect(env.tier, 'the tier chosen in the lobby').toBe('full');
      expect(env.setting).toBe(WORLD_TEMPLATES[template as keyof typeof WORLD_TEMPLATES].setting);
      // the whole environment in a dozen draw calls at most, so furnished worlds stay under budget
      expect(env.activeMeshes, `${template}: environment meshes drawn`).toBeLessThanOrEqual(12);
      expect(stats.distinct, `${template}: a varied picture, not a flat fill`).toBeGreaterThan(500);
      const whole = band(path.join(SHOTS, `env-${template}.png`), 0, 1);
      expect(whole.luma, `${template}: not too dark`).toBeGreaterThan(70);
      expect(whole.luma, `${template}: not blown out`).toBeLessThan(225);
      if (env.setting === 'outdoor') {
        // the top rows of the view above the UI: sky (and distant roofs in haze)
        const sky = band(path.join(SHOTS, `env-${template}.png`), 0.14, 0.2);
        expect(sky.b, 'the plaza has a blue sky above').toBeGreaterThan(sky.r + 10);
      }
      await bob.room.leave();
      await page.close();
    }
    // reported with the test: what each place costs
    console.info(Object.entries(seen).map(([t, e]) => `${t}: ${e.activeMeshes} environment meshes drawn (one draw call each)`).join('\n'));
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
    // five worlds in software GL, each prefiltering its light once
  }, 480_000);

  it('left to choose, a browser without a graphics card draws the light tier: the same place in plain colours, furnished and lit, drawn again only when something changes', async () => {
    const page = await e2e.openLobby('Ann on a plain computer');
    expect(await page.getByTestId('graphics').inputValue()).toBe('auto');
    expect(await page.getByTestId('graphics').locator('option[value="auto"]').textContent()).toBe('Automatic (light on this computer)');
    await page.getByTestId('world-template').selectOption('office');
    await createWorld(page, 'A plain office');
    await expect
      .poll(() => page.evaluate(() => window.__dwc!.propKinds!().filter((k) => k.drawnFrom !== 'model').map((k) => k.kind)), { timeout: 30_000 })
      .toEqual([]);
    await page.waitForFunction(() => window.__dwc?.environment?.()?.lightReady === true, null, { timeout: 30_000 });
    const frames = await page.evaluate(() => window.__dwc!.renderedFrames());
    await page.waitForFunction((n) => window.__dwc!.renderedFrames() > n + 3, frames, { timeout: 30_000 });
    const env = (await page.evaluate(() => window.__dwc!.environment!()))!;
    expect(env.renderer).toMatch(/SwiftShader/i);
    expect(env.tier).toBe('light');
    const stats = await screenshot(page, 'env-office-light');
    expect(stats.distinct, 'a varied picture, not a flat fill').toBeGreaterThan(500);
    const whole = band(path.join(SHOTS, 'env-office-light.png'), 0, 1);
    expect(whole.luma, 'not too dark').toBeGreaterThan(70);
    expect(whole.luma, 'not blown out').toBeLessThan(225);
    // the floor keeps the hue of its wood: warm, not grey or white
    const floor = band(path.join(SHOTS, 'env-office-light.png'), 0.9, 0.92);
    expect(floor.r, 'a wooden floor').toBeGreaterThan(floor.b + 20);
    expect(floor.luma, 'a wooden floor, not a white one').toBeLessThan(200);

    // a still room is not drawn again (once a second at most, as a safety net), and costs no work
    await page.waitForTimeout(1500);
    const stillFrom = await page.evaluate(() => window.__dwc!.renderedFrames());
    await page.waitForTimeout(4000);
    const stillFrames = (await page.evaluate(() => window.__dwc!.renderedFrames())) - stillFrom;
    expect(stillFrames, 'frames drawn in 4 s of a still room').toBeLessThanOrEqual(6);
    // walking draws every frame again, and the view goes where the person walks
    const eyeBefore = (await page.evaluate(() => window.__dwc!.view())).eye;
    const walkFrom = await page.evaluate(() => window.__dwc!.renderedFrames());
    await page.keyboard.down('w');
    await page.waitForTimeout(2000);
    await page.keyboard.up('w');
    const walkFrames = (await page.evaluate(() => window.__dwc!.renderedFrames())) - walkFrom;
    expect((await page.evaluate(() => window.__dwc!.view())).eye[2], 'walked forward').toBeLessThan(eyeBefore[2] - 0.3);
    expect(walkFrames, 'frames drawn in 2 s of walking').toBeGreaterThan(stillFrames);
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});
