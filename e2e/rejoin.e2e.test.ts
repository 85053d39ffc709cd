/**
 * The server goes away under an open world page and comes back on the same port and data: the page
 * must not claim its owner removed the person, must say so once and quietly, and must get back into
 * the world by itself, standing where it stood, with the documents there and movable.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, documents, participants, sessionId, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

/** Records, from now on, every toast the page shows and whether it ever said "removed". */
async function watchMessages(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = { toasts: [] as string[], removed: false };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="toast"]:not([data-seen])')) {
        el.dataset.seen = '1';
        seen.toasts.push(el.textContent ?? '');
      }
      if (/removed/i.test(document.body.innerText)) seen.removed = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { __seen: { toasts: string[]; removed: boolean } }).__seen);

async function selfHead(page: Page): Promise<[number, number, number]> {
  const id = await sessionId(page);
  return (await participants(page)).find((p) => p.id === id)!.head;
}

/** Holds the Welcome panel with the real mouse and waits for the server to grant the hold. */
async function grabWelcome(page: Page): Promise<void> {
  const welcome = (await documents(page)).find((d) => d.title === 'Welcome')!;
  expect(welcome, 'the office template has a Welcome document').toBeTruthy();
  const at = await page.evaluate((id) => window.__dwc!.screenPointOf(id), welcome.id);
  expect(at, 'the Welcome panel is in front of the eye').not.toBeNull();
  const me = await sessionId(page);
  await page.mouse.move(at!.x, at!.y);
  await page.mouse.down();
  await expect.poll(async () => (await documents(page)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(me);
  await page.mouse.up();
}

describe('the server restarts under an open world', () => {
  for (const kill of [true, false]) {
    it(`gets back in by itself after ${kill ? 'a crash' : 'a clean restart'}, without calling it a removal`, async () => {
      const ann = await e2e.openLobby('Ann');
      await createWorld(ann, kill ? 'Crash review' : 'Restart review');
      // walk a little, so that "where she stood" is not simply where everyone arrives
      await ann.getByTestId('world-canvas').focus();
      const arrived = await selfHead(ann);
      await ann.keyboard.down('a');
      await ann.waitForTimeout(500);
      await ann.keyboard.up('a');
      await ann.waitForTimeout(300);
      const stood = await selfHead(ann);
      expect(Math.hypot(stood[0] - arrived[0], stood[2] - arrived[2]), 'she walked').toBeGreaterThan(0.2);
      const before = await sessionId(ann);
      await watchMessages(ann);

      await e2e.restart({ kill });

      // one quiet line while away, then back in a new session of the same world
      await expect.poll(async () => (await sessionId(ann).catch(() => before)) !== before && (await ann.evaluate(() => window.__dwc?.ready() === true)), { timeout: 90_000, interval: 500 }).toBe(true);
      await waitReady(ann);
      await expect.poll(() => ann.getByTestId('connection-status').isHidden(), { timeout: 10_000 }).toBe(true);
      expect(await ann.getByTestId('world-error').count()).toBe(0);
      expect(await ann.getByTestId('world-title').textContent()).toBe(kill ? 'Crash review' : 'Restart review');
      await expect.poll(async () => (await participants(ann)).map((p) => p.name), { timeout: 10_000 }).toEqual(['Ann']);
      const now = await selfHead(ann);
      expect(Math.hypot(now[0] - stood[0], now[2] - stood[2]), 'stands where she stood').toBeLessThan(0.05);
      await grabWelcome(ann);

      const { toasts, removed } = await seen(ann);
      expect(removed, 'the page never said "removed"').toBe(false);
      expect(toasts.filter((t) => /connect|back in the world/i.test(t))).toEqual(['Back in the world.']);
      expect(e2e.pageErrors).toEqual([]);
    });
  }
});
