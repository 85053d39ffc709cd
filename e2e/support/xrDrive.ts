/**
 * Driving the emulated headset (see xrEmulator.ts) from a test: reading the app's XR probe, and
 * putting controllers at world positions and pressing their buttons.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { XrProbe } from '../../client/testing/testHook';
import type { XrMode } from '../../client/xr/XrExperience';

export type V3 = [number, number, number];
/** A rotation as x, y, z, w. */
export type Q = [number, number, number, number];
export type Hand = 'left' | 'right';

export const xrProbe = (page: Page) => page.evaluate(() => window.__dwc!.xr!()) as Promise<XrProbe>;

/**
 * World position minus emulator position of the head: the offset the app put between the
 * headset's tracking space and the world (it starts the headset where the desktop eye was).
 */
export async function trackingOffset(page: Page): Promise<V3> {
  const { head, device } = await page.evaluate(() => {
    const d = (window as any).__iwer;
    return { head: window.__dwc!.xr!().head!, device: [d.position.x, d.position.y, d.position.z] as V3 };
  });
  return [head[0] - device[0], head[1] - device[1], head[2] - device[2]];
}

/** Enters a mode with the overlay button and waits for the session to run. */
export async function enterXr(page: Page, mode: XrMode): Promise<XrProbe> {
  const button = page.getByTestId(mode === 'vr' ? 'enter-vr' : 'enter-ar');
  await expect.poll(() => button.isVisible(), { timeout: 10_000 }).toBe(true);
  await button.click();
  await expect.poll(async () => (await xrProbe(page)).mode, { timeout: 20_000 }).toBe(mode);
  return xrProbe(page);
}

/**
 * Puts an emulated controller at a world position, given the tracking offset (see
 * {@link trackingOffset}), with a rotation in the headset's tracking space (unturned by default:
 * its ray points down -Z).
 */
export async function placeController(page: Page, hand: Hand, world: V3, offset: V3, q: Q = [0, 0, 0, 1]): Promise<void> {
  await page.evaluate(
    ({ hand, p, q }) => {
      const c = (window as any).__iwer.controllers[hand];
      c.position.set(p[0], p[1], p[2]);
      c.quaternion.set(q[0], q[1], q[2], q[3]);
    },
    { hand, p: [world[0] - offset[0], world[1] - offset[1], world[2] - offset[2]], q },
  );
}

/** Puts an emulated controller at a world position, unturned (its ray points down -Z). */
export async function moveControllerTo(page: Page, hand: Hand, world: V3): Promise<void> {
  await placeController(page, hand, world, await trackingOffset(page));
}

/** Pushes a controller's thumbstick (x right, y down; 0, 0 lets go). */
export const setStick = (page: Page, hand: Hand, x: number, y: number) =>
  page.evaluate(({ hand, x, y }) => (window as any).__iwer.controllers[hand].updateAxes('thumbstick', x, y), { hand, x, y });

/** Sets a controller button's value ('trigger', 'squeeze', 'y-button', …). */
export const setButton = (page: Page, hand: Hand, id: string, value: number) =>
  page.evaluate(({ hand, id, value }) => (window as any).__iwer.controllers[hand].updateButtonValue(id, value), { hand, id, value });

/** Clicks a controller button: down for a few frames, then up. */
export async function clickButton(page: Page, hand: Hand, id: string): Promise<void> {
  await setButton(page, hand, id, 1);
  await page.waitForTimeout(150);
  await setButton(page, hand, id, 0);
  await page.waitForTimeout(150);
}

/** Puts an emulated controller at a world position `from`, its ray aimed at the world point `to`. */
export async function aimController(page: Page, hand: Hand, from: V3, to: V3, offset: V3): Promise<void> {
  const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const len = Math.hypot(d[0]!, d[1]!, d[2]!);
  const [x, y, z] = d.map((v) => v / len) as V3;
  // the shortest turn from the unturned ray (-Z) to the direction wanted
  const q = [y, -x, 0, 1 - z];
  const n = Math.hypot(...q);
  await page.evaluate(
    ({ hand, p, q }) => {
      const c = (window as any).__iwer.controllers[hand];
      c.position.set(p[0], p[1], p[2]);
      c.quaternion.set(q[0], q[1], q[2], q[3]);
    },
    { hand, p: [from[0] - offset[0], from[1] - offset[1], from[2] - offset[2]], q: q.map((v) => v / n) },
  );
}
