/**
 * Every template is a place: each world is made from the lobby, drawn with its own shell, light and
 * sky, from nothing but this server (no request leaves the machine), with no page errors, and
 * neither too dark nor blown out, in the full graphics tier chosen in the lobby; and left to
 * choose, a browser drawing without a graphics card (this one) draws the light tier.
 * Screenshots: test-results/e2e/env-<template>.png and env-office-light.png.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EnvironmentProbe } from '../client/testing/testHook';
import { TEMPLATE_LAYOUTS } from '../shared/model/props';
import { WORLD_TEMPLATES, type WorldTemplateId } from '../shared/model/worlds';
import { createWorld, SHOTS, screenshot, useE2e, waitReady } from './support/harness';
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

/** Holds a key until `done` says the view got there (or a few seconds pass). */
async function holdUntil(page: Page, key: string, done: () => Promise<boolean>): Promise<void> {
  await page.keyboard.down(key);
  const until = Date.now() + 8000;
  while (!(await done()) && Date.now() < until) await page.waitForTimeout(30);
  await page.keyboard.up(key);
}

/** A second person joins the world, walks a few metres ahead of the first and turns to face them. */
async function visitor(worldId: string, look: string[]): Promise<Page> {
  const page = await e2e.openLobby('Bob');
  for (const part of look) await page.getByTestId(`look-${part}`).click();
  await page.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
  await waitReady(page);
  const view = () => page.evaluate(() => window.__dwc!.view());
  const startZ = (await view()).eye[2];
  await holdUntil(page, 'w', async () => (await view()).eye[2] < startZ - 1.2);
  // people arrive facing -z; turn until the view looks back along +z
  await holdUntil(page, 'e', async () => {
    const [pitch, yaw] = (await view()).rotation;
    return -Math.cos(pitch) * Math.cos(yaw) > 0.97;
  });
  return page;
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
      const bob = await visitor(worldId, ['body-f58231', 'hair-curly', 'headwear-cap', 'glasses-round']);
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
      await bob.close();
      await page.close();
    }
    // reported with the test: what each place costs
    console.info(Object.entries(seen).map(([t, e]) => `${t}: ${e.activeMeshes} environment meshes drawn (one draw call each)`).join('\n'));
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
    // five worlds in software GL, each prefiltering its light once
  }, 480_000);

  it('left to choose, a browser without a graphics card draws the light tier: the same place in plain colours, furnished and lit', async () => {
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
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});
