/**
 * VR and AR with an emulated headset (iwer, a Meta Quest 3): entering VR from the world's overlay,
 * grabbing a document with the right controller through the server's hold while a desktop browser
 * watches, placing the workspace on a surface in AR, and pinching with tracked hands.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createWorld, documents, participants, screenshot, sessionId, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { enterXr as enter, placeController as moveController, setButton, trackingOffset, xrProbe as xr, type Hand, type V3 } from './support/xrDrive';

const e2e = useE2e();

/** Clicks a world in the lobby list and waits until the page is in it. */
async function joinFromLobby(page: Page, worldId: string): Promise<void> {
  await page.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
  await waitReady(page);
}

const squeeze = (page: Page, hand: Hand, value: number) => setButton(page, hand, 'squeeze', value);

describe('VR and AR with an emulated headset', () => {
  it('grabs a document with a controller in VR while a desktop browser sees it move and sees the VR avatar, and snap-turns with the stick', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    const worldId = await createWorld(ann, 'XR review');
    const annId = await sessionId(ann);
    const bob = await e2e.openLobby('Bob');
    await joinFromLobby(bob, worldId);

    const entered = await enter(ann, 'vr');
    expect(entered.roomVisible).toBe(true);
    // both controllers, with their models loaded from this server
    await expect
      .poll(async () => (await xr(ann)).controllers.map((c) => `${c.handedness}:${c.hasModel}`).sort(), { timeout: 20_000 })
      .toEqual(['left:true', 'right:true']);

    const offset = await trackingOffset(ann);
    const welcome = (await documents(ann)).find((d) => d.title === 'Welcome')!;
    expect(welcome, 'the office template has a Welcome document').toBeTruthy();
    // the right hand goes to the panel's face (a few centimetres in front of it) and squeezes
    const at: V3 = [welcome.position[0], welcome.position[1], welcome.position[2] + 0.04];
    await moveController(ann, 'right', at, offset);
    await ann.waitForTimeout(200);
    await squeeze(ann, 'right', 1);
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);
    await expect.poll(async () => (await documents(bob)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);
    // held, it comes to reading distance in front of Ann (see xrComfort.e2e.test.ts); she carries
    // it to the right and lets go, and Bob sees it where she put it down, beside her
    for (let i = 1; i <= 8; i++) {
      await moveController(ann, 'right', [at[0] + 0.1 * i, at[1] + 0.025 * i, at[2]], offset);
      await ann.waitForTimeout(60);
    }
    await squeeze(ann, 'right', 0);
    const annHead = (await xr(ann)).head!;
    await expect
      .poll(
        async () => {
          const d = (await documents(bob)).find((x) => x.id === welcome.id)!;
          const away = Math.hypot(d.position[0] - annHead[0], d.position[1] - annHead[1], d.position[2] - annHead[2]);
          return d.heldBy === '' && away < 0.8 && d.position[0] > annHead[0];
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    // Bob sees Ann's head and right hand where the headset and controller are, and "VR" on her tag
    const annXr = await xr(ann);
    const rightHand = annXr.controllers.find((c) => c.handedness === 'right')!.position;
    await expect
      .poll(
        async () => {
          const seen = (await participants(bob)).find((p) => p.id === annId)!;
          const close = (a: readonly number[] | null, b: readonly number[]) => !!a && a.every((v, i) => Math.abs(v - b[i]!) < 0.03);
          return { device: seen.device, tag: seen.tag, head: close(seen.head, annXr.head!), hand: close(seen.right, rightHand), drawn: close(seen.drawnHands?.[1] ?? null, rightHand) };
        },
        { timeout: 15_000 },
      )
      .toEqual({ device: 'vr', tag: expect.stringMatching(/^Ann · \w+ · VR$/), head: true, hand: true, drawn: true });
    await screenshot(bob, 'xr-bob-sees-vr-ann');

    // snap turning: a sideways push of the right stick turns Ann 30° right about her head, once per
    // push; the stick must come back to the centre before it turns her again. The scene is
    // right-handed like WebXR (looking down -Z), so a right turn is a negative yaw about Y.
    const yaw = (q: readonly number[]) => {
      // the yaw angle about Y (counter-clockwise seen from above), whatever the quaternion's sign
      const [x, y, z, w] = q as [number, number, number, number];
      return (Math.atan2(2 * (x * z + w * y), 1 - 2 * (x * x + y * y)) * 180) / Math.PI;
    };
    const stick = (x: number) => ann.evaluate((x) => (window as any).__iwer.controllers.right.updateAxes('thumbstick', x, 0), x);
    const start = await xr(ann);
    await stick(1);
    await expect.poll(async () => Math.round(yaw((await xr(ann)).headRotation!) - yaw(start.headRotation!)), { timeout: 10_000 }).toBe(-30);
    await ann.waitForTimeout(400);
    const turned = await xr(ann);
    expect(Math.round(yaw(turned.headRotation!) - yaw(start.headRotation!)), 'a held push turns once').toBe(-30);
    turned.head!.forEach((v, i) => expect(v).toBeCloseTo(start.head![i]!, 3));
    await stick(0);
    await ann.waitForTimeout(200);
    await stick(-1);
    await expect.poll(async () => Math.round(yaw((await xr(ann)).headRotation!) - yaw(start.headRotation!)), { timeout: 10_000 }).toBe(0);
    await stick(0);

    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });

  it('places the workspace on a real surface in AR by hit test, with the room hidden', async () => {
    const owner = await e2e.openLobby('Cleo');
    const worldId = await createWorld(owner, 'AR board');
    // a table top 0.7 m above the floor, as the emulator's synthetic environment
    const dan = await e2e.openLobby('Dan', (page) => installXrEmulator(page, { surfaceHeight: 0.7 }));
    await joinFromLobby(dan, worldId);
    // Dan looks 45 degrees down, so the centre of his view meets the table 0.9 m ahead
    await dan.evaluate(() => (window as any).__iwer.quaternion.set(-Math.sin(Math.PI / 8), 0, 0, Math.cos(Math.PI / 8)));
    await enter(dan, 'ar');
    await expect.poll(async () => (await xr(dan)).roomVisible, { timeout: 10_000 }).toBe(false);
    const offset = await trackingOffset(dan);
    await expect.poll(async () => (await xr(dan)).reticle !== null, { timeout: 15_000 }).toBe(true);
    const reticle = (await xr(dan)).reticle!;
    expect(reticle[1] - offset[1]).toBeCloseTo(0.7, 2);
    expect(reticle[2] - offset[2]).toBeCloseTo(-0.9, 1);

    // a tap (the controller's trigger) places the workspace there
    await dan.evaluate(() => (window as any).__iwer.controllers.right.updateButtonValue('trigger', 1));
    await expect.poll(async () => (await xr(dan)).placedAt !== null, { timeout: 10_000 }).toBe(true);
    await dan.evaluate(() => (window as any).__iwer.controllers.right.updateButtonValue('trigger', 0));
    const placed = await xr(dan);
    expect(placed.reticle).toBeNull();
    // the workspace moved, not the table: seen from Dan's head, its anchor lies as far below his
    // eyes as the table point he tapped (in real metres: the miniature scales the world, see
    // xrAr.e2e.test.ts for where it stands)
    const tapped: V3 = [reticle[0] - offset[0], reticle[1] - offset[1], reticle[2] - offset[2]];
    const device = (await dan.evaluate(() => {
      const d = (window as any).__iwer;
      return [d.position.x, d.position.y, d.position.z];
    })) as V3;
    await expect
      .poll(async () => {
        const now = await xr(dan);
        return (now.placedAt![1] - now.head![1]) * now.ar!.scale;
      }, { timeout: 10_000 })
      .toBeCloseTo(tapped[1] - device[1], 2);
    expect(placed.roomVisible).toBe(false);
    // and Cleo, on the desktop, sees Dan as an AR participant
    const danId = await sessionId(dan);
    await expect.poll(async () => (await participants(owner)).find((p) => p.id === danId)?.tag, { timeout: 15_000 }).toBe('Dan · editor · AR');
    await screenshot(dan, 'xr-ar-placed');
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });

  it('grabs a document with a pinch of a tracked hand, drawn with the shipped hand models, and turns pages with a fingertip', async () => {
    const eve = await e2e.openLobby('Eve', (page) => installXrEmulator(page));
    await createWorld(eve, 'Hands');
    const eveId = await sessionId(eve);
    await eve.evaluate(() => ((window as any).__iwer.primaryInputMode = 'hand'));
    await enter(eve, 'vr');
    await expect.poll(async () => (await xr(eve)).controllers.filter((c) => c.hand).length, { timeout: 20_000 }).toBe(2);
    // both hands are drawn with the hand models this server ships, not bare joints
    await expect.poll(async () => (await xr(eve)).controllers.filter((c) => c.hand && c.hasModel).length, { timeout: 20_000 }).toBe(2);
    const offset = await trackingOffset(eve);
    const welcome = (await documents(eve)).find((d) => d.title === 'Welcome')!;
    const at: V3 = [welcome.position[0], welcome.position[1], welcome.position[2] + 0.04];
    await eve.evaluate(({ p }) => (window as any).__iwer.hands.right.position.set(p[0], p[1], p[2]), { p: [at[0] - offset[0], at[1] - offset[1], at[2] - offset[2]] });
    await eve.waitForTimeout(200);
    await screenshot(eve, 'xr-hand-at-document');
    await eve.evaluate(() => (window as any).__iwer.hands.right.updatePinchValue(1));
    await expect.poll(async () => (await documents(eve)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(eveId);
    await eve.evaluate(({ p }) => (window as any).__iwer.hands.right.position.set(p[0], p[1], p[2]), { p: [at[0] - offset[0] - 0.5, at[1] - offset[1], at[2] - offset[2]] });
    await eve.waitForTimeout(300);
    await eve.evaluate(() => (window as any).__iwer.hands.right.updatePinchValue(0));
    // held, it came to reading distance in front of her (see xrComfort.e2e.test.ts), a little to the left
    const eveHead = (await xr(eve)).head!;
    await expect
      .poll(async () => {
        const d = (await documents(eve)).find((x) => x.id === welcome.id)!;
        const away = Math.hypot(d.position[0] - eveHead[0], d.position[1] - eveHead[1], d.position[2] - eveHead[2]);
        return d.heldBy === '' && away < 0.8 && d.position[0] < eveHead[0];
      }, { timeout: 15_000 })
      .toBe(true);

    // a fingertip touching a long document's "next" control turns its page, once per touch
    const worldId = /#\/w\/([A-Za-z0-9_-]+)$/.exec(eve.url())![1]!;
    const head = (await xr(eve)).head!;
    const form = new FormData();
    form.append('world', worldId);
    form.append('position', JSON.stringify([head[0] - 0.7, head[1] - 0.2, head[2] - 0.8]));
    const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}: terms and conditions that go on for a while.`).join('\n\n');
    form.append('file', new Blob([`# Handbook\n\n${text}\n`]), 'Handbook.md');
    expect((await fetch(`${e2e.server.url}/api/v3/documents`, { method: 'POST', body: form })).status).toBe(201);
    await expect.poll(async () => (await documents(eve)).find((d) => d.title === 'Handbook')?.contentLoaded, { timeout: 20_000 }).toBe(true);
    const handbook = (await documents(eve)).find((d) => d.title === 'Handbook')!;
    expect(handbook.pageCount).toBeGreaterThan(2);
    const next = await eve.evaluate((id) => window.__dwc!.controlPosition(id, 'next'), handbook.id);
    expect(next, 'the next-page control is shown').not.toBeNull();
    const touch = async (target: V3) => {
      const tip = (await xr(eve)).controllers.find((c) => c.handedness === 'left')!.fingertip!;
      await eve.evaluate(
        ({ d }) => {
          const hand = (window as any).__iwer.hands.left;
          hand.position.set(hand.position.x + d[0], hand.position.y + d[1], hand.position.z + d[2]);
        },
        { d: [target[0] - tip[0], target[1] - tip[1], target[2] - tip[2]] },
      );
    };
    await touch(next!);
    await expect.poll(async () => (await documents(eve)).find((d) => d.id === handbook.id)!.page, { timeout: 10_000 }).toBe(2);
    // resting there presses nothing more; leaving and touching again turns once more
    await eve.waitForTimeout(500);
    expect((await documents(eve)).find((d) => d.id === handbook.id)!.page).toBe(2);
    await touch([next![0], next![1], next![2] + 0.15]);
    await eve.waitForTimeout(300);
    await touch(next!);
    await expect.poll(async () => (await documents(eve)).find((d) => d.id === handbook.id)!.page, { timeout: 10_000 }).toBe(3);
    await screenshot(eve, 'xr-fingertip-page-turn');
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
