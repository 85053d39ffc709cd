/**
 * Two people in two browsers: Ann creates a world from the lobby, Bob finds it in the lobby list
 * and joins, each sees the other's avatar, Ann drags a document with the real mouse and Bob sees
 * it land where she dropped it. Real server process, real Chromium, real WebGL (SwiftShader).
 */
import { describe, expect, it } from 'vitest';
import { documents, participants, screenshot, sessionId, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

describe('two browsers in one world', () => {
  it('meet, see each other and move a document together', async () => {
    // Ann creates a world from the lobby and lands in it
    const ann = await e2e.openLobby('Ann');
    await ann.getByTestId('world-name').fill('E2E review');
    await ann.getByTestId('world-template').selectOption('office');
    await ann.getByTestId('create-world').click();
    // the lobby routes by hash, so entering the world is a same-page navigation
    await ann.waitForFunction(() => /^#\/w\/[A-Za-z0-9_-]+$/.test(location.hash), null, { timeout: 10_000 });
    const worldId = /#\/w\/([A-Za-z0-9_-]+)$/.exec(ann.url())![1]!;
    await waitReady(ann);
    const annId = await sessionId(ann);

    // Bob sees it in his lobby with Ann counted in it, and joins by clicking it
    const bob = await e2e.openLobby('Bob');
    // the lobby says what this browser offers and how to join from a headset or phone
    await expect.poll(() => bob.getByTestId('xr-modes').textContent(), { timeout: 10_000 }).toMatch(/^Desktop only/);
    await expect.poll(() => bob.getByTestId('join-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    expect(await bob.getByTestId('join-url').getAttribute('href')).toMatch(/^http:\/\/[\d.]+:\d+\/$|^http:\/\/localhost:\d+\/$/);
    const item = bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`);
    await expect.poll(() => item.getByTestId('participants').textContent(), { timeout: 15_000 }).toBe('1 here');
    await expect(item.textContent()).resolves.toContain('E2E review');
    await item.click();
    await waitReady(bob);
    const bobId = await sessionId(bob);

    // each sees the other: in the state, and as an avatar in the scene
    for (const [page, other, otherName] of [[ann, bobId, 'Bob'], [bob, annId, 'Ann']] as const) {
      await expect.poll(async () => (await participants(page)).map((p) => p.name).sort(), { timeout: 15_000 }).toEqual(['Ann', 'Bob']);
      const them = (await participants(page)).find((p) => p.id === other)!;
      expect(them.name).toBe(otherName);
      expect(them.head[1]).toBeGreaterThan(1);
      await expect.poll(() => page.evaluate((id) => window.__dwc!.avatarVisible(id), other), { timeout: 10_000 }).toBe(true);
    }

    // Ann drags the Welcome panel to the right with the real mouse
    const welcome = (await documents(ann)).find((d) => d.title === 'Welcome')!;
    expect(welcome, 'the office template has a Welcome document').toBeTruthy();
    const start = await ann.evaluate((id) => window.__dwc!.screenPointOf(id), welcome.id);
    expect(start, 'the Welcome panel is in front of Ann').not.toBeNull();
    await screenshot(ann, 'ann-before-drag');
    await ann.mouse.move(start!.x, start!.y);
    await ann.mouse.down();
    // wait for the server to grant the hold before moving, as a person's hand would take a moment
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);
    const steps = 12;
    for (let i = 1; i <= steps; i++) {
      await ann.mouse.move(start!.x + (220 * i) / steps, start!.y + (30 * i) / steps);
      await ann.waitForTimeout(40);
    }
    // while Ann holds it, Bob sees who holds it
    await expect.poll(async () => (await documents(bob)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);
    await ann.mouse.up();

    // Bob sees it released at its new place, well to the right of where it stood
    await expect
      .poll(
        async () => {
          const d = (await documents(bob)).find((x) => x.id === welcome.id)!;
          return d.heldBy === '' && d.position[0] - welcome.position[0] > 0.8;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    const annSees = (await documents(ann)).find((d) => d.id === welcome.id)!;
    const bobSees = (await documents(bob)).find((d) => d.id === welcome.id)!;
    expect(bobSees.position[0]).toBeCloseTo(annSees.position[0], 3);
    expect(bobSees.position[2]).toBeCloseTo(annSees.position[2], 3);

    // both canvases show a rendered room, not a blank or single-colour frame
    for (const [page, name] of [[ann, 'ann-after-drag'], [bob, 'bob-after-drag']] as const) {
      await page.waitForTimeout(300);
      const stats = await screenshot(page, name);
      expect(stats.distinct, `${name} has varied colours`).toBeGreaterThan(200);
      expect(stats.dominantShare, `${name} is not one flat colour`).toBeLessThan(0.6);
      expect(await page.evaluate(() => window.__dwc!.renderedFrames())).toBeGreaterThan(5);
    }

    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
