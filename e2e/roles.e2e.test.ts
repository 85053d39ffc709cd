/**
 * World roles in two browsers: Ann signs up and makes a private world, invites Bob as a viewer by
 * link; Bob signs up, accepts, and cannot drag a document (the server's reason is shown to him);
 * Ann makes him an editor from her members panel while he is in the world, and now he can.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, documents, participants, screenshot, sessionId, signUp, useE2e, waitReady } from './support/harness';

const e2e = useE2e();
const role = (page: Page) => page.evaluate(() => (document.querySelector('.world-page') as HTMLElement | null)?.dataset.role ?? '');
/**
 * Every toast the page has shown since `watchToasts`: they go away after a few seconds, which a
 * software-rendered drag can outlast.
 */
const watchToasts = (page: Page) =>
  page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenToasts: string[] }).seenToasts = seen;
    new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) if (n instanceof HTMLElement && n.classList.contains('toast')) seen.push(n.textContent ?? '');
    }).observe(document.body, { childList: true, subtree: true });
  });
const toasts = (page: Page) => page.evaluate(() => (window as unknown as { seenToasts: string[] }).seenToasts);

/** Drags a document a little to the right with the real mouse, as a person would. */
async function drag(page: Page, docId: string, waitForHold?: () => Promise<void>): Promise<void> {
  const start = await page.evaluate((id) => window.__dwc!.screenPointOf(id), docId);
  expect(start, 'the panel is in view').not.toBeNull();
  await page.mouse.move(start!.x, start!.y);
  await page.mouse.down();
  await waitForHold?.();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(start!.x + 20 * i, start!.y + 3 * i);
    await page.waitForTimeout(40);
  }
  await page.mouse.up();
}

describe('world roles', () => {
  it('a viewer invited by link cannot move documents and sees why; promoted live to editor, they can', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    await signUp(ann, 'ann');
    await ann.getByTestId('world-guests').selectOption('none');
    const worldId = await createWorld(ann, 'Private review');
    expect(await role(ann)).toBe('owner');

    // the world is private: it is not in a guest's lobby
    const world = await fetch(`${e2e.server.url}/api/v3/worlds/${worldId}`);
    expect(world.status).toBe(401);

    // Ann makes a viewer's invite link from her members panel
    await ann.getByTestId('members-button').click();
    await ann.getByTestId('invite-role').selectOption('viewer');
    await ann.getByTestId('create-invite').click();
    await expect.poll(() => ann.getByTestId('invite-link').inputValue(), { timeout: 10_000 }).toMatch(/#\/w\/[a-z0-9]+\?invite=inv_/);
    const link = await ann.getByTestId('invite-link').inputValue();

    // Bob signs up and opens the link: he accepts the invite and lands in the world as a viewer
    const bob = await e2e.openLobby('Bob');
    await signUp(bob, 'bob');
    await bob.goto(link);
    await bob.getByTestId('accept-invite').click();
    await waitReady(bob).catch(async (err: unknown) => {
      throw new Error(`Bob did not get into the world (${String(err)}): ${await bob.evaluate(() => `${location.hash} ${document.body.innerText}`)}`);
    });
    const bobId = await sessionId(bob);
    await expect.poll(() => role(bob), { timeout: 10_000 }).toBe('viewer');

    // he tries to drag the Welcome panel: the server refuses, he is told why, nothing moves
    const welcome = (await documents(bob)).find((d) => d.title === 'Welcome')!;
    await watchToasts(bob);
    await drag(bob, welcome.id);
    await expect.poll(() => toasts(bob), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/You are a viewer here: viewers can look and talk but cannot pick up documents/));
    await screenshot(bob, 'roles-viewer-refused');
    const after = (await documents(ann)).find((d) => d.id === welcome.id)!;
    expect(after.heldBy).toBe('');
    expect(after.position).toEqual(welcome.position);

    // Ann makes him an editor while he is in the world; his page learns it at once
    const bobRow = ann.locator('[data-member="bob"]');
    await expect.poll(() => bobRow.count(), { timeout: 10_000 }).toBe(1);
    await bobRow.getByTestId('member-role').selectOption('editor');
    await expect.poll(() => role(bob), { timeout: 10_000 }).toBe('editor');
    await expect.poll(() => toasts(bob), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/You are now an editor/));

    // now the same drag works, and Ann sees it land
    await drag(bob, welcome.id, () => expect.poll(async () => (await documents(bob)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(bobId));
    await expect
      .poll(
        async () => {
          const d = (await documents(ann)).find((x) => x.id === welcome.id)!;
          return d.heldBy === '' && d.position[0] - welcome.position[0] > 0.3;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await screenshot(bob, 'roles-editor-moved');

    // Ann removes him: his page says so, in the server's words, and does not try to get back in
    await bobRow.getByTestId('member-remove').click();
    await expect.poll(() => bob.getByTestId('world-error').textContent().catch(() => ''), { timeout: 10_000 }).toBe('The owner removed you from "Private review".');
    await bob.waitForTimeout(3000);
    expect(await bob.getByTestId('world-error').isVisible()).toBe(true);
    expect(await bob.getByTestId('connection-status').isVisible()).toBe(false);
    await expect.poll(async () => (await participants(ann)).map((p) => p.name), { timeout: 10_000 }).toEqual(['ann']);
    expect(e2e.pageErrors).toEqual([]);
  });
});
