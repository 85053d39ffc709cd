/**
 * Who is here, as the others see it: someone whose tab closed is shown as away (greyed, in the list
 * and on their name tag) while the server keeps their seat; someone who clicks Leave is gone at once.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, participants, sessionId, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

async function joinByLink(name: string, worldId: string): Promise<Page> {
  const page = await e2e.openLobby(name);
  await page.goto(`${e2e.server.url}/#/w/${worldId}`);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-pending').click();
  await waitReady(page);
  return page;
}

/** What a person's row in *Here now* says of them (its buttons aside). */
const item = (page: Page, id: string) => page.locator(`[data-testid="people"] li[data-participant-id="${id}"]`);
const row = (page: Page, id: string) => item(page, id).locator('.person-name');

describe('who is here', () => {
  it('shows a closed tab as away, and someone who leaves as gone at once', async () => {
    const ann = await e2e.openLobby('Ann');
    const worldId = await createWorld(ann, 'Presence');
    const bob = await joinByLink('Bob', worldId);
    const bobId = await sessionId(bob);
    await expect.poll(() => row(ann, bobId).textContent(), { timeout: 15_000 }).toBe('Bob');
    await expect.poll(async () => (await participants(ann)).find((p) => p.id === bobId)?.tag, { timeout: 10_000 }).toBe('Bob · editor · desktop');

    // Bob's tab closes: his seat is kept for a while, and Ann sees him as away, not as here
    await bob.close();
    await expect.poll(() => item(ann, bobId).getAttribute('class'), { timeout: 15_000 }).toBe('away');
    expect(await row(ann, bobId).textContent()).toBe('Bob (away)');
    await expect.poll(async () => (await participants(ann)).find((p) => p.id === bobId)?.tag, { timeout: 10_000 }).toBe('Bob · editor · desktop (away)');

    // Cat clicks Leave: she is gone from Ann's list without ever showing as away
    const cat = await joinByLink('Cat', worldId);
    const catId = await sessionId(cat);
    await expect.poll(() => row(ann, catId).count(), { timeout: 15_000 }).toBe(1);
    await ann.evaluate((id) => {
      const w = window as unknown as { __catAway: boolean };
      w.__catAway = false;
      new MutationObserver(() => {
        if (document.querySelector(`[data-participant-id="${id}"].away`)) w.__catAway = true;
      }).observe(document.querySelector('[data-testid="people"]')!, { childList: true, subtree: true, attributes: true });
    }, catId);
    await cat.getByTestId('leave').click();
    await expect.poll(() => row(ann, catId).count(), { timeout: 5_000 }).toBe(0);
    expect(await ann.evaluate(() => (window as unknown as { __catAway: boolean }).__catAway), 'Cat never showed as away').toBe(false);
    expect(e2e.pageErrors).toEqual([]);
  });
});
