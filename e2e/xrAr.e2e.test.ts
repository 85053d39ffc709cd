/**
 * AR with an emulated headset (iwer, a Meta Quest 3) over a table 0.7 m high: the workspace lands
 * as a tabletop miniature within reach, in front of the person and above the table top; "Life
 * size" switches to the room at true scale and back; a two-handed pinch resizes it; and since the
 * Quest's browser offers no DOM overlay, the hint and buttons are drawn in the world, and its Exit
 * is pressed with a controller's ray and trigger.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createWorld, documents, screenshot, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { clickButton, setButton, xrProbe as xr, type Hand, type Q, type V3 } from './support/xrDrive';

const e2e = useE2e();

const TABLE = 0.7;

const conj = ([x, y, z, w]: Q): Q => [-x, -y, -z, w];
const mul = ([ax, ay, az, aw]: Q, [bx, by, bz, bw]: Q): Q => [aw * bx + ax * bw + ay * bz - az * by, aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw, aw * bw - ax * bx - ay * by - az * bz];
const rotate = (q: Q, [x, y, z]: V3): V3 => {
  const [rx, ry, rz] = mul(mul(q, [x, y, z, 0]), conj(q));
  return [rx, ry, rz];
};

/** The headset's pose in the room (the emulator's tracking space: real metres, floor at 0). */
async function device(page: Page): Promise<{ position: V3; rotation: Q }> {
  return page.evaluate(() => {
    const d = (window as any).__iwer;
    return { position: [d.position.x, d.position.y, d.position.z], rotation: [d.quaternion.x, d.quaternion.y, d.quaternion.z, d.quaternion.w] };
  });
}

/**
 * Where a world point is in the room: the app relates the two by its head pose in the world, the
 * headset's pose in the room and the world scale (world metres per real metre).
 */
async function toRoom(page: Page): Promise<(world: V3) => V3> {
  const probe = await xr(page);
  const dev = await device(page);
  const unit = 1 / probe.ar!.scale;
  const turn = mul(dev.rotation, conj(probe.headRotation!));
  return (p) => {
    const d = rotate(turn, [(p[0] - probe.head![0]) / unit, (p[1] - probe.head![1]) / unit, (p[2] - probe.head![2]) / unit]);
    return [dev.position[0] + d[0], dev.position[1] + d[1], dev.position[2] + d[2]];
  };
}

/** Opens a world in AR over the table, looking 45 degrees down at it, and waits for the reticle. */
async function enterAr(name: string, worldId: string): Promise<Page> {
  const page = await e2e.openLobby(name, (p) => installXrEmulator(p, { surfaceHeight: TABLE }));
  await page.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
  await waitReady(page);
  await page.evaluate(() => (window as any).__iwer.quaternion.set(-Math.sin(Math.PI / 8), 0, 0, Math.cos(Math.PI / 8)));
  const button = page.getByTestId('enter-ar');
  await expect.poll(() => button.isVisible(), { timeout: 10_000 }).toBe(true);
  await button.click();
  await expect.poll(async () => (await xr(page)).mode, { timeout: 20_000 }).toBe('ar');
  await expect.poll(async () => (await xr(page)).reticle !== null, { timeout: 15_000 }).toBe(true);
  return page;
}

const trigger = (page: Page, hand: Hand, value: number) => setButton(page, hand, 'trigger', value);

/** A tap with the right trigger. */
async function tap(page: Page): Promise<void> {
  await trigger(page, 'right', 1);
  await page.waitForTimeout(100);
  await trigger(page, 'right', 0);
}

const corners = (b: { min: V3; max: V3 }): V3[] => [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [(i & 1 ? b.max : b.min)[0], (i & 2 ? b.max : b.min)[1], (i & 4 ? b.max : b.min)[2]]);

describe('AR tabletop miniature with an emulated headset', () => {
  it('places all content as a miniature within reach, in front of the person and on the table; Life size toggles; a pinch resizes it', async () => {
    const owner = await e2e.openLobby('Cleo');
    // a workflow chain stands in the world too, so it must fit on the table with the documents
    const worldId = await createWorld(owner, 'AR table');
    await owner.getByTestId('workflows-toggle').click();
    await expect.poll(() => owner.getByTestId('wf-template').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await owner.getByTestId('wf-template').selectOption('document-pipeline');
    await owner.getByTestId('wf-create').click();
    await expect.poll(() => owner.getByTestId('wf-step').count(), { timeout: 10_000 }).toBe(3);
    const dan = await enterAr('Dan', worldId);
    await expect.poll(async () => (await dan.evaluate(() => window.__dwc!.workflows())).length, { timeout: 15_000 }).toBe(1);
    expect((await xr(dan)).ar!.hint).toMatch(/tap to place/);

    await tap(dan);
    await expect.poll(async () => (await xr(dan)).placedAt !== null, { timeout: 10_000 }).toBe(true);
    // the app moves the viewer on the next frame; wait until the room view has settled
    await expect.poll(async () => (await xr(dan)).ar!.scale, { timeout: 10_000 }).toBeLessThan(0.5);
    await dan.waitForTimeout(300);
    const placed = await xr(dan);
    expect(placed.ar!.hint).toMatch(/Pinch with two fingers.*Place again/);
    expect(placed.ar!.lifeSize).toBe(false);
    const room = await toRoom(dan);
    const me = await device(dan);
    const forward = rotate(me.rotation, [0, 0, -1]);
    const flatForward = [forward[0], forward[2]].map((v) => v / Math.hypot(forward[0], forward[2]));
    const docs = await documents(dan);
    expect(docs.length).toBeGreaterThan(0);
    // every corner of everything (documents, notes, chain) and every document's centre
    const points = [...corners(placed.ar!.contentBox!), ...docs.map((d) => d.position as V3)];
    for (const world of points) {
      const p = room(world);
      const dx = p[0] - me.position[0];
      const dz = p[2] - me.position[2];
      expect(Math.hypot(dx, dz), 'within 1.2 m of the person').toBeLessThanOrEqual(1.2);
      expect(dx * flatForward[0]! + dz * flatForward[1]!, 'in front of the person').toBeGreaterThan(0);
      expect(p[1], 'above the table top').toBeGreaterThanOrEqual(TABLE - 0.01);
    }
    // the content box holds every document
    for (const d of docs) for (let i = 0; i < 3; i++) expect(d.position[i]!).toBeGreaterThanOrEqual(placed.ar!.contentBox!.min[i]! - 1e-6);
    await screenshot(dan, 'xr-ar-miniature');

    // Life size: the room at true scale on the same spot, and back to the miniature. The overlay's
    // button is what a phone shows over its camera view; here the emulated headset's view covers
    // the page, so the click is sent to the button itself
    const miniature = placed.ar!.scale;
    await dan.getByTestId('ar-life-size').dispatchEvent('click');
    await expect.poll(async () => (await xr(dan)).ar!.scale, { timeout: 10_000 }).toBe(1);
    expect((await xr(dan)).ar!.lifeSize).toBe(true);
    await expect.poll(() => dan.getByTestId('ar-life-size').textContent()).toBe('Miniature');
    await dan.waitForTimeout(300);
    await screenshot(dan, 'xr-ar-life-size');
    await dan.getByTestId('ar-life-size').dispatchEvent('click');
    await expect.poll(async () => (await xr(dan)).ar!.scale, { timeout: 10_000 }).toBeCloseTo(miniature, 6);

    // a two-handed pinch: both triggers down, hands spread from 20 to 40 cm apart, doubles it
    const at = me.position;
    const hands = (spread: number) =>
      dan.evaluate(
        ({ at, spread }) => {
          const c = (window as any).__iwer.controllers;
          c.left.position.set(at[0] - spread / 2, at[1] - 0.35, at[2] - 0.3);
          c.right.position.set(at[0] + spread / 2, at[1] - 0.35, at[2] - 0.3);
        },
        { at, spread },
      );
    await hands(0.2);
    await dan.waitForTimeout(100);
    await trigger(dan, 'left', 1);
    await trigger(dan, 'right', 1);
    await dan.waitForTimeout(200);
    for (const spread of [0.25, 0.3, 0.35, 0.4]) {
      await hands(spread);
      await dan.waitForTimeout(100);
    }
    // (measured frame by frame while the world rescales, it comes out within a few per cent)
    await expect.poll(async () => Math.abs((await xr(dan)).ar!.scale / miniature - 2), { timeout: 10_000 }).toBeLessThan(0.05);
    await trigger(dan, 'left', 0);
    await trigger(dan, 'right', 0);
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });

  it('draws the hint, Place again, Life size and Exit in the world when the headset offers no DOM overlay; Place again and Exit work by ray', async () => {
    const owner = await e2e.openLobby('Cleo');
    const worldId = await createWorld(owner, 'AR buttons');
    const eve = await enterAr('Eve', worldId);
    await expect.poll(async () => (await xr(eve)).ar?.buttons?.map((b) => b.label), { timeout: 10_000 }).toEqual(['Place again', 'Life size', 'Exit AR']);
    await tap(eve);
    await expect.poll(async () => (await xr(eve)).placedAt !== null, { timeout: 10_000 }).toBe(true);
    await eve.waitForTimeout(300);
    // Eve raises her left hand into view: the card floats above it, at real size whatever the
    // world's scale, with the hint for what to do next
    const me = await device(eve);
    const left: V3 = [me.position[0] - 0.12, me.position[1] - 0.3, me.position[2] - 0.38];
    await eve.evaluate((p) => (window as any).__iwer.controllers.left.position.set(p[0], p[1], p[2]), left);
    await eve.waitForTimeout(300);
    await screenshot(eve, 'xr-ar-headset-buttons');
    const probe = await xr(eve);
    expect(probe.ar!.hint).toMatch(/Pinch with two fingers/);
    const room = await toRoom(eve);
    const [placeAgain, , exit] = probe.ar!.buttons!.map((b) => room(b.position));
    const middle = room(probe.ar!.buttons![1]!.position);
    expect(Math.hypot(middle[0] - left[0], middle[1] - left[1], middle[2] - left[2])).toBeLessThan(0.2);
    // the outer buttons 17 cm apart in the room, as at life size
    expect(Math.hypot(exit![0] - placeAgain![0], exit![1] - placeAgain![1], exit![2] - placeAgain![2])).toBeCloseTo(0.173, 2);

    // the menu (Y button) opens at real size too: at arm's length before her, not shrunk with the world
    await clickButton(eve, 'left', 'y-button');
    await expect.poll(async () => (await xr(eve)).menu?.open, { timeout: 10_000 }).toBe(true);
    const menuButtons = (await xr(eve)).menu!.buttons.map((b) => room(b.position));
    const nearest = Math.min(...menuButtons.map((p) => Math.hypot(p[0] - me.position[0], p[1] - me.position[1], p[2] - me.position[2])));
    expect(nearest).toBeGreaterThan(0.4);
    expect(nearest).toBeLessThan(0.9);
    // she looks down at the table, so it opens low, over the table, tilted to face her: its top and
    // bottom buttons about as far from her eyes
    const heights = menuButtons.map((p) => p[1] - me.position[1]);
    expect(Math.max(...heights)).toBeLessThan(-0.1);
    const far = menuButtons.map((p) => Math.hypot(p[0] - me.position[0], p[1] - me.position[1], p[2] - me.position[2]));
    expect(Math.max(...far) - Math.min(...far)).toBeLessThan(0.25);
    await screenshot(eve, 'xr-ar-headset-menu');
    await clickButton(eve, 'left', 'y-button');
    await expect.poll(async () => (await xr(eve)).menu?.open, { timeout: 10_000 }).toBe(false);

    // Place again by the right controller's ray and trigger picks the workspace up: the reticle
    // is back and the hint says to tap; the buttons keep their place by the left hand
    await aimAt(eve, placeAgain!, me.position);
    await expect.poll(async () => (await xr(eve)).controllers.find((c) => c.handedness === 'right')?.pointingAt, { timeout: 10_000 }).toBe('Place again');
    await tap(eve);
    await expect.poll(async () => (await xr(eve)).ar!.hint, { timeout: 10_000 }).toMatch(/tap to place/);
    expect((await xr(eve)).placedAt).toBeNull();

    // and Exit by ray ends the session
    await aimAt(eve, exit!, me.position);
    await expect.poll(async () => (await xr(eve)).controllers.find((c) => c.handedness === 'right')?.pointingAt, { timeout: 10_000 }).toBe('Exit AR');
    await screenshot(eve, 'xr-ar-headset-exit-aimed');
    await tap(eve);
    await expect.poll(async () => (await xr(eve)).mode, { timeout: 10_000 }).toBeNull();
    expect(e2e.pageErrors).toEqual([]);
  });
});

/** Holds the right controller below and to the right of the head (room coordinates), its ray on `target`. */
async function aimAt(page: Page, target: V3, head: V3): Promise<void> {
  const from = [head[0] + 0.15 - target[0], head[1] - 0.25 - target[1], head[2] - target[2]];
  const length = Math.hypot(...from);
  const hand: V3 = [target[0] + (from[0]! / length) * 0.25, target[1] + (from[1]! / length) * 0.25, target[2] + (from[2]! / length) * 0.25];
  await page.evaluate(
    ({ p, q }) => {
      const c = (window as any).__iwer.controllers.right;
      c.position.set(p[0], p[1], p[2]);
      c.quaternion.set(q[0], q[1], q[2], q[3]);
    },
    { p: hand, q: pointAlong([-from[0]!, -from[1]!, -from[2]!]) },
  );
}

/** The rotation that turns a controller's ray (its -Z) to point along `v`. */
function pointAlong(v: V3): Q {
  const n = Math.hypot(...v);
  const [x, y, z] = [v[0] / n, v[1] / n, v[2] / n];
  const q: Q = [y, -x, 0, 1 - z];
  const m = Math.hypot(...q);
  return [q[0] / m, q[1] / m, q[2] / m, q[3] / m];
}
