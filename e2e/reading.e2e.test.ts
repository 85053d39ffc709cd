/**
 * Reading a PDF up close: a report uploaded two metres away is drawn at the far tier; a double
 * click flies the eye square on to it, the page fills most of the view with its controls clear of
 * the hint, and the page is drawn again sharper; Escape flies back. On a high-density screen the
 * page gets a close-up texture of its own, and on a phone the controls stay on screen and uncovered.
 * Screenshots of each step go to test-results/e2e. Real server, real Chromium.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../server/testing/fixtures';
import { createWorld, documents, screenshot, useE2e } from './support/harness';

const BODY = Array.from({ length: 36 }, (_, i) => `${i + 1}. Revenue in region ${i + 1} rose by ${(i * 7) % 23} percent, ahead of the plan.`);

const e2e = useE2e();

const view = (page: Page) => page.evaluate(() => window.__dwc!.view());
const report = async (page: Page) => (await documents(page)).find((d) => d.title === 'Annual report')!;
const faceRect = (page: Page, id: string) => page.evaluate((docId) => window.__dwc!.faceRect(docId), id);

/** Every page control is inside the viewport and under none of the overlay's boxes. */
async function controlsUncovered(page: Page, id: string): Promise<string[]> {
  return page.evaluate((docId) => {
    const problems: string[] = [];
    const overlay = [...document.querySelectorAll('.hud-panel, .hud-actions, .hud-hint:not(.aside)')].map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
    for (const control of ['prev', 'spread', 'next'] as const) {
      const p = window.__dwc!.controlPoint(docId, control);
      if (!p) problems.push(`${control}: not shown`);
      else if (p.x < 0 || p.y < 0 || p.x > innerWidth || p.y > innerHeight) problems.push(`${control}: off screen at ${p.x},${p.y}`);
      else if (overlay.some((r) => p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom)) problems.push(`${control}: covered at ${p.x},${p.y}`);
    }
    return problems;
  }, id);
}

async function enterReadMode(page: Page, id: string): Promise<void> {
  const rect = (await faceRect(page, id))!;
  await page.mouse.dblclick((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);
  await expect.poll(async () => (await view(page)).reading, { timeout: 10_000 }).toBe(id);
  // the flight takes under half a second; then the face is redrawn at its new tier
  await page.waitForTimeout(800);
}

describe('reading a PDF up close', () => {
  it('a double click brings the page close and sharp, Escape goes back', { timeout: 300_000 }, async () => {
    const page = await e2e.openLobby('Reader');
    await page.setViewportSize({ width: 1280, height: 800 });
    await createWorld(page, 'Reading room');
    await page.getByTestId('upload-input').setInputFiles({ name: 'Annual report.pdf', mimeType: 'application/pdf', buffer: makePdf(['Annual report', 'Outlook'], { body: BODY }) });
    await expect.poll(async () => [(await report(page))?.contentLoaded, (await report(page))?.pageCount], { timeout: 30_000 }).toEqual([true, 2]);
    const pdf = await report(page);
    await page.waitForTimeout(500);

    // two metres away the page is drawn at the far tier, and fills only part of the view
    const far = await report(page);
    expect(far.pageWidthPx).toBe(512);
    const farRect = (await faceRect(page, pdf.id))!;
    expect(farRect.bottom - farRect.top).toBeLessThan(800 * 0.6);
    await screenshot(page, 'reading-far-1280');
    const home = await view(page);

    await enterReadMode(page, pdf.id);
    const near = (await faceRect(page, pdf.id))!;
    expect(near.bottom - near.top, 'the page fills most of the view').toBeGreaterThan(800 * 0.75);
    expect(near.top).toBeGreaterThanOrEqual(0);
    expect(Math.abs((near.left + near.right) / 2 - 640), 'centred').toBeLessThan(40);
    await expect.poll(async () => (await report(page)).pageWidthPx, { timeout: 10_000 }).toBe(1024);
    expect(await controlsUncovered(page, pdf.id)).toEqual([]);
    const hint = (await page.locator('.hud-hint').boundingBox())!;
    const next = (await page.evaluate((id) => window.__dwc!.controlPoint(id, 'next'), pdf.id))!;
    expect(next.y + 20, 'the page controls sit above the hint').toBeLessThan(hint.y);
    await screenshot(page, 'reading-read-1280');

    // the controls work in read mode
    await page.mouse.click(next.x, next.y);
    await expect.poll(async () => (await report(page)).page, { timeout: 10_000 }).toBe(2);

    await page.keyboard.press('Escape');
    await expect.poll(async () => (await view(page)).reading, { timeout: 10_000 }).toBeNull();
    await page.waitForTimeout(700);
    const back = await view(page);
    for (let i = 0; i < 3; i++) expect(back.eye[i]).toBeCloseTo(home.eye[i]!, 2);
    for (let i = 0; i < 2; i++) expect(back.rotation[i]).toBeCloseTo(home.rotation[i]!, 2);

    // a phone held upright: read mode keeps the page and its controls on screen and uncovered
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(700);
    await screenshot(page, 'reading-far-390');
    await enterReadMode(page, pdf.id);
    const phone = (await faceRect(page, pdf.id))!;
    expect(phone.right - phone.left, 'the page fills the width').toBeGreaterThan(390 * 0.8);
    expect(await controlsUncovered(page, pdf.id)).toEqual([]);
    await screenshot(page, 'reading-read-390');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await view(page)).reading, { timeout: 10_000 }).toBeNull();

    // a high-density screen: the page read up close gets a texture of its own, sharper than the atlas holds
    const sharp = await e2e.openLobby('Sharp', async (p) => {
      await p.setViewportSize({ width: 1280, height: 800 });
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    });
    await createWorld(sharp, 'Reading room, high density');
    await sharp.getByTestId('upload-input').setInputFiles({ name: 'Annual report.pdf', mimeType: 'application/pdf', buffer: makePdf(['Annual report', 'Outlook'], { body: BODY }) });
    await expect.poll(async () => (await report(sharp))?.contentLoaded, { timeout: 30_000 }).toBe(true);
    await sharp.waitForTimeout(500);
    const hidpi = await report(sharp);
    expect(hidpi.pageWidthPx, 'two metres away it stays in the atlas').toBeLessThanOrEqual(1024);
    await enterReadMode(sharp, hidpi.id);
    await expect.poll(async () => (await report(sharp)).pageWidthPx, { timeout: 15_000 }).toBe(2048);
    await screenshot(sharp, 'reading-read-1280-hidpi');

    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.consoleErrors).toEqual([]);
  });
});
