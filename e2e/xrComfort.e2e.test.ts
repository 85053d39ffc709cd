/**
 * Comfort in a headset, with the emulated Quest 3: teleports keep the way the person faces (also
 * after a snap turn), a held document comes to reading distance upright whatever the wrist does,
 * two hands resize it and it is put down level, pages sharpen as the person walks up to them, and
 * smooth walking darkens the edge of the view and stops at the walls.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOM_HALF_SIZE } from '../shared/model/worlds';
import { createWorld, documents, screenshot, sessionId, useE2e } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { enterXr, placeController as moveController, setButton, setStick as stick, trackingOffset, xrProbe as xr, type Hand, type Q, type V3 } from './support/xrDrive';

const e2e = useE2e();

const deg = (r: number) => (r * 180) / Math.PI;

/** Enters VR with the overlay button and waits for the session and both controllers. */
async function enterVr(page: Page): Promise<void> {
  await enterXr(page, 'vr');
  await expect.poll(async () => (await xr(page)).controllers.length, { timeout: 20_000 }).toBe(2);
}

const squeeze = (page: Page, hand: Hand, value: number) => setButton(page, hand, 'squeeze', value);

/** The yaw about Y in degrees (counter-clockwise seen from above), whatever the quaternion's sign. */
function yaw(q: readonly number[]): number {
  const [x, y, z, w] = q as Q;
  return deg(Math.atan2(2 * (x * z + w * y), 1 - 2 * (x * x + y * y)));
}
/** How far a panel's sideways axis leaves the horizontal (its roll), in degrees. */
const roll = ([x, y, z, w]: readonly number[]) => deg(Math.asin(2 * (x! * y! + w! * z!)));
/** How far a panel's up axis leans from the vertical, in degrees. */
const lean = ([x, , z]: readonly number[]) => deg(Math.acos(Math.min(1, 1 - 2 * (x! * x! + z! * z!))));
const angleBetween = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);
const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/**
 * Aims a teleport with the right stick (the controller held low and tilted down, in the headset's
 * own space, so this works after turns too), waits for the landing ring, and lets the stick go.
 */
async function teleport(page: Page): Promise<void> {
  await page.evaluate(() => {
    const d = (window as any).__iwer;
    const down = (-35 * Math.PI) / 180;
    d.controllers.right.position.set(d.position.x + 0.15, d.position.y - 0.35, d.position.z - 0.2);
    d.controllers.right.quaternion.set(Math.sin(down / 2), 0, 0, Math.cos(down / 2));
  });
  const before = (await xr(page)).head!;
  await stick(page, 'right', 0, -1);
  await expect.poll(async () => (await xr(page)).teleportAim, { timeout: 10_000 }).toBe(true);
  await stick(page, 'right', 0, 0);
  await expect.poll(async () => distance((await xr(page)).head!, before) > 0.5, { timeout: 10_000 }).toBe(true);
}

describe('comfort in a headset', () => {
  it('keeps the heading across teleports, and after a snap turn keeps the turned heading', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Teleports');
    await enterVr(ann);
    const start = yaw((await xr(ann)).headRotation!);

    await teleport(ann);
    expect(angleBetween(yaw((await xr(ann)).headRotation!), start), 'the first teleport keeps the heading').toBeLessThan(1);
    await teleport(ann);
    expect(angleBetween(yaw((await xr(ann)).headRotation!), start), 'and so does the second').toBeLessThan(1);

    // one snap turn to the right (30 degrees clockwise seen from above), then a teleport
    await stick(ann, 'right', 1, 0);
    await expect.poll(async () => Math.round(angleBetween(yaw((await xr(ann)).headRotation!), start)), { timeout: 10_000 }).toBe(30);
    await stick(ann, 'right', 0, 0);
    const turned = yaw((await xr(ann)).headRotation!);
    await teleport(ann);
    expect(angleBetween(yaw((await xr(ann)).headRotation!), turned), 'a teleport after a turn keeps the turned heading').toBeLessThan(1);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('brings a held document to reading distance, upright whatever the wrist does; two hands resize it; it is put down level', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Reading in VR');
    const annId = await sessionId(ann);
    await enterVr(ann);
    const offset = await trackingOffset(ann);
    const welcome = (await documents(ann)).find((d) => d.title === 'Welcome')!;

    // the right hand reaches to the panel's face and squeezes
    await moveController(ann, 'right', [welcome.position[0], welcome.position[1], welcome.position[2] + 0.04], offset);
    await expect.poll(async () => (await xr(ann)).controllers.find((c) => c.handedness === 'right')!.position[2], { timeout: 5_000 }).toBeCloseTo(welcome.position[2] + 0.04, 1);
    await squeeze(ann, 'right', 1);
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);

    // then brings the hand in, 45 cm in front of the face and below it, and rolls the wrist 40 degrees
    const head = (await xr(ann)).head!;
    const rolled: Q = [0, 0, Math.sin((40 * Math.PI) / 360), Math.cos((40 * Math.PI) / 360)];
    await moveController(ann, 'right', [head[0] + 0.1, head[1] - 0.25, head[2] - 0.35], offset, rolled);
    const held = async () => {
      const d = (await documents(ann)).find((x) => x.id === welcome.id)!;
      return { d, away: distance(d.position, (await xr(ann)).head!) };
    };
    await expect.poll(async () => { const { away } = await held(); return away > 0.55 && away < 0.75; }, { timeout: 10_000 }).toBe(true);
    const { d: reading, away } = await held();
    expect(Math.abs(roll(reading.rotation)), 'a rolled wrist does not roll the page').toBeLessThan(1);
    expect(lean(reading.rotation), 'it leans towards the eyes a little at most').toBeLessThan(21);
    expect(away).toBeGreaterThan(0.55);
    expect(reading.scale, 'sized down to be read at arm’s length').toBeLessThan(0.6);
    await screenshot(ann, 'xr-holding-a-panel');

    // the left hand takes the other side; moving the hands apart enlarges it
    await moveController(ann, 'left', [reading.position[0] - 0.12, reading.position[1], reading.position[2] + 0.03], offset);
    await expect.poll(async () => (await xr(ann)).controllers.find((c) => c.handedness === 'left')!.position[0], { timeout: 5_000 }).toBeCloseTo(reading.position[0] - 0.12, 1);
    await squeeze(ann, 'left', 1);
    await ann.waitForTimeout(200);
    await moveController(ann, 'left', [reading.position[0] - 0.4, reading.position[1], reading.position[2] + 0.03], offset);
    await expect.poll(async () => (await held()).d.scale > reading.scale * 1.3, { timeout: 10_000 }).toBe(true);
    await squeeze(ann, 'left', 0);
    const resized = (await held()).d.scale;

    await squeeze(ann, 'right', 0);
    await expect.poll(async () => (await held()).d.heldBy, { timeout: 10_000 }).toBe('');
    const dropped = (await held()).d;
    expect(Math.abs(roll(dropped.rotation)), 'put down without roll').toBeLessThan(0.5);
    expect(lean(dropped.rotation), 'and upright').toBeLessThan(0.5);
    expect(dropped.scale).toBeCloseTo(resized, 2);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('sharpens a page as the person walks up to it in VR', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Sharp in VR');
    await enterVr(ann);
    const welcome = (await documents(ann)).find((d) => d.title === 'Welcome')!;
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.pageWidthPx, { timeout: 20_000 }).toBeGreaterThan(0);
    const far = (await documents(ann)).find((d) => d.id === welcome.id)!.pageWidthPx;
    // walk (in the real room) to 70 cm in front of the panel
    const offset = await trackingOffset(ann);
    await ann.evaluate((p) => (window as any).__iwer.position.set(p[0], p[1], p[2]), [welcome.position[0] - offset[0], welcome.position[1] - offset[1], welcome.position[2] + 0.7 - offset[2]]);
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.pageWidthPx, { timeout: 20_000 }).toBeGreaterThan(Math.max(far, 1000));
    expect(e2e.pageErrors).toEqual([]);
  });

  it('darkens the edge of the view while smooth walking, and stops at the walls', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Walking in VR');
    await expect.poll(() => ann.getByTestId('xr-locomotion').isVisible(), { timeout: 10_000 }).toBe(true);
    await ann.getByTestId('xr-locomotion').selectOption('smooth');
    await enterVr(ann);
    expect((await xr(ann)).vignette).toBe(0);
    await stick(ann, 'left', 0, -1);
    await expect.poll(async () => (await xr(ann)).vignette!, { timeout: 10_000 }).toBeGreaterThan(0.5);
    await screenshot(ann, 'xr-comfort-ring');
    await stick(ann, 'left', 0, 0);
    await expect.poll(async () => (await xr(ann)).vignette, { timeout: 10_000 }).toBe(0);

    // stepping through the front wall in the real room leaves the head at the wall
    const offset = await trackingOffset(ann);
    await ann.evaluate((z) => {
      const d = (window as any).__iwer;
      d.position.set(d.position.x, d.position.y, z);
    }, -ROOM_HALF_SIZE - 3 - offset[2]);
    await expect.poll(async () => { const z = (await xr(ann)).head![2]; return z < -ROOM_HALF_SIZE + 1 && z > -ROOM_HALF_SIZE; }, { timeout: 10_000 }).toBe(true);
    await ann.waitForTimeout(300);
    expect((await xr(ann)).head![2]).toBeGreaterThan(-ROOM_HALF_SIZE);
    expect(e2e.pageErrors).toEqual([]);
  });
});
