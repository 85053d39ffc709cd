/**
 * Looks of one's own: Ann dresses up in the lobby and again in the world, Bob chooses his own,
 * and each browser draws the other in the look they chose, with a tag naming role and device.
 * A signed-in person's look is kept with the account and comes back in a fresh browser.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, participants, screenshot, sessionId, signUp, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

/** Clicks the look editor's buttons by their test ids (e.g. "hair-bun", "body-4363d8"). */
async function choose(page: Page, ...parts: string[]): Promise<void> {
  for (const part of parts) await page.getByTestId(`look-${part}`).click();
}

/** Joins a world from the lobby list. */
async function joinFromLobby(page: Page, worldId: string): Promise<void> {
  await page.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
  await waitReady(page);
}

/** How `page` draws participant `id`: the look, tag and mesh count (null until the avatar exists). */
async function seen(page: Page, id: string) {
  const p = (await participants(page)).find((x) => x.id === id);
  return p?.drawnLook ? { look: p.drawnLook, tag: p.tag, meshes: p.meshes, role: p.role } : null;
}

/** Holds a key until `done` says the view got there (or a few seconds pass). */
async function holdUntil(page: Page, key: string, done: () => Promise<boolean>): Promise<void> {
  await page.keyboard.down(key);
  const until = Date.now() + 8000;
  while (!(await done()) && Date.now() < until) await page.waitForTimeout(30);
  await page.keyboard.up(key);
}

describe('avatars', () => {
  it('shows the look each person chose, in the lobby and then in the world, to the others', async () => {
    const ann = await e2e.openLobby('Ann');
    await choose(ann, 'body-4363d8', 'skin-eac09f', 'hair-bun', 'hairColour-6b4226', 'headwear-none', 'glasses-round');
    await ann.getByTestId('look-editor').screenshot({ path: 'test-results/e2e/avatars-lobby-editor.png' });
    const worldId = await createWorld(ann, 'Looks');
    const annId = await sessionId(ann);

    const bob = await e2e.openLobby('Bob');
    await choose(bob, 'body-f58231', 'skin-7a4b2f', 'hair-curly', 'hairColour-1c1410', 'headwear-headphones', 'glasses-shades');
    await joinFromLobby(bob, worldId);
    const bobId = await sessionId(bob);

    const annLook = { body: '#4363d8', skin: '#eac09f', hair: 'bun', hairColour: '#6b4226', headwear: 'none', glasses: 'round' };
    const bobLook = { body: '#f58231', skin: '#7a4b2f', hair: 'curly', hairColour: '#1c1410', headwear: 'headphones', glasses: 'shades' };
    await expect.poll(() => seen(bob, annId), { timeout: 15_000 }).toMatchObject({ look: annLook, tag: expect.stringMatching(/^Ann · (owner|editor) · desktop$/) });
    await expect.poll(() => seen(ann, bobId), { timeout: 15_000 }).toMatchObject({ look: bobLook, tag: 'Bob · editor · desktop' });
    const drawn = await seen(ann, bobId);
    // a body costs a few draw calls, not dozens: head, torso, two hands, tag
    expect(drawn!.meshes).toBeLessThanOrEqual(6);

    // in the world Ann opens Look and changes her glasses and hat; Bob sees it, and it is kept here
    await ann.getByTestId('look-button').click();
    await choose(ann, 'glasses-square', 'headwear-cap');
    await screenshot(ann, 'avatars-look-dialog');
    await ann.getByTestId('look-done').click();
    await expect.poll(async () => (await seen(bob, annId))?.look, { timeout: 10_000 }).toEqual({ ...annLook, glasses: 'square', headwear: 'cap' });
    expect(await ann.evaluate(() => JSON.parse(localStorage.getItem('dwc.look') ?? 'null'))).toEqual({ ...annLook, glasses: 'square', headwear: 'cap' });

    // Cy never chose a look: others draw the default made from Cy's colour
    const cy = await e2e.openLobby('Cy');
    await joinFromLobby(cy, worldId);
    const cyId = await sessionId(cy);
    await expect.poll(async () => (await seen(ann, cyId))?.look.body, { timeout: 15_000 }).toBe((await participants(ann)).find((p) => p.id === cyId)!.colour.toLowerCase());

    // Cy turns round (people arrive facing the same way) and steps back to see the others face on
    const view = () => cy.evaluate(() => window.__dwc!.view());
    // the view's forward along z, whichever way its Euler angles are written (identity looks down -Z)
    const forwardZ = async () => {
      const [pitch, yaw] = (await view()).rotation;
      return -Math.cos(pitch) * Math.cos(yaw);
    };
    await holdUntil(cy, 'e', async () => (await forwardZ()) > 0.98);
    const annAt = (await participants(cy)).find((p) => p.id === annId)!.head;
    await holdUntil(cy, 's', async () => (await view()).eye[2] < annAt[2] - 2.6);
    await expect.poll(async () => (await seen(cy, annId))?.look.headwear, { timeout: 10_000 }).toBe('cap');
    await cy.waitForTimeout(800);
    await screenshot(cy, 'avatars');
  }, 180_000);

  it("keeps a signed-in person's look with the account: a fresh browser signed in as them gets it", async () => {
    const first = await e2e.openLobby('Dee');
    await signUp(first, 'deelook');
    await choose(first, 'body-911eb4', 'hair-long', 'headwear-beanie', 'glasses-none');
    const chosen = await first.evaluate(() => JSON.parse(localStorage.getItem('dwc.look') ?? 'null'));
    expect(chosen).toMatchObject({ body: '#911eb4', hair: 'long', headwear: 'beanie', glasses: 'none' });
    // the save to the account is in flight: wait until the server has it
    await expect
      .poll(() => first.evaluate(async () => {
        const account = JSON.parse(localStorage.getItem('dwc.account')!);
        const res = await fetch('/api/v3/account/look', { headers: { authorization: `Bearer ${account.accessToken}` } });
        return (await res.json()).look;
      }), { timeout: 10_000 })
      .toEqual(chosen);

    // a fresh browser context: nothing in its storage, signs in as the same account
    const second = await e2e.openLobby('Someone');
    await second.getByTestId('account-username').fill('deelook');
    await second.getByTestId('account-password').fill('a long enough password');
    await second.getByTestId('sign-in').click();
    const pressed = () => second.locator('[data-testid="look-editor"] [aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')).sort());
    await expect.poll(pressed, { timeout: 10_000 }).toEqual(['look-body-911eb4', `look-hairColour-${chosen.hairColour.slice(1)}`, 'look-glasses-none', 'look-hair-long', 'look-headwear-beanie', `look-skin-${chosen.skin.slice(1)}`].sort());
    // and joins a world in it, as others see
    await second.getByTestId('world-guests').selectOption('editor');
    const worldId = await createWorld(second, 'Dee world');
    const deeId = await sessionId(second);
    const watcher = await e2e.openLobby('Eve');
    await joinFromLobby(watcher, worldId);
    await expect.poll(async () => (await seen(watcher, deeId))?.look, { timeout: 15_000 }).toEqual(chosen);
    expect((await seen(watcher, deeId))?.tag).toBe('deelook · owner · desktop');
  }, 120_000);
});
