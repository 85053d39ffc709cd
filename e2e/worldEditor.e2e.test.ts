/**
 * The world editor, told as one visit: Ann signs up and makes a world that guests may only look
 * at; Bob comes in as such a guest. Ann opens Edit world, places a chair and drags it along the
 * floor with the real mouse; Bob sees it appear and move. Bob has no Edit world button, and an
 * add sent anyway is refused with the reason. Undo takes back Ann's last add; the layout survives
 * a server restart; a hostile model upload is refused with the server's reason while a small
 * valid one joins the catalogue and can be placed; and in an emulated Quest the menu's Room tab
 * places a prop ahead of her.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { PropProbe } from '../client/testing/testHook';
import { ErrorCode, type IntentError } from '../shared/protocol';
import { joinWorld, until } from '../server/testing/clients';
import { SHOTS, createWorld, scenarioSteps, screenshot, sessionId, signUp, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { clickButton as click, enterXr, moveControllerTo as moveController, placeController, setButton as button, trackingOffset, xrProbe as xr } from './support/xrDrive';

const e2e = useE2e({}, {}, { pagesOutliveTests: true });
const step = scenarioSteps();

const props = (page: Page) => page.evaluate(() => window.__dwc!.props!()) as Promise<PropProbe[]>;
const propKinds = (page: Page) => page.evaluate(() => window.__dwc!.propKinds!());

/** A small valid model: a 0.5 m pyramid standing on the floor, made with glTF-Transform. */
async function pyramidGlb(): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const s = 0.25;
  const positions = new Float32Array([-s, 0, -s, s, 0, -s, s, 0, s, -s, 0, s, 0, 0.5, 0]);
  const indices = new Uint16Array([0, 1, 2, 0, 2, 3, 0, 4, 1, 1, 4, 2, 2, 4, 3, 3, 4, 0]);
  const position = doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer);
  const index = doc.createAccessor().setType('SCALAR').setArray(indices).setBuffer(buffer);
  const material = doc.createMaterial('stone').setBaseColorFactor([0.8, 0.3, 0.2, 1]);
  const prim = doc.createPrimitive().setAttribute('POSITION', position).setIndices(index).setMaterial(material);
  const node = doc.createNode('pyramid').setMesh(doc.createMesh('pyramid').addPrimitive(prim));
  doc.createScene('scene').addChild(node);
  return new NodeIO().writeBinary(doc);
}

/** A .glb whose buffer lives at an address outside the file: loading it would fetch from elsewhere. */
function hostileGlb(): Uint8Array {
  const json = JSON.stringify({ asset: { version: '2.0' }, buffers: [{ byteLength: 12, uri: 'https://models.example/payload.bin' }] });
  const padded = json + ' '.repeat((4 - (json.length % 4)) % 4);
  const out = new Uint8Array(20 + padded.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, out.length, true);
  view.setUint32(12, padded.length, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(new TextEncoder().encode(padded), 20);
  return out;
}

/** Drags a prop with the real mouse by (dx, dy) pixels, waiting for the server's grant first. */
async function dragProp(page: Page, propId: string, holder: string, dx: number, dy: number): Promise<void> {
  const start = await page.evaluate((id) => window.__dwc!.propScreenPoint!(id), propId);
  expect(start, 'the prop is in view').not.toBeNull();
  await page.mouse.move(start!.x, start!.y);
  await page.mouse.down();
  await expect.poll(async () => (await props(page)).find((p) => p.id === propId)?.heldBy, { timeout: 10_000 }).toBe(holder);
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(start!.x + (dx * i) / 10, start!.y + (dy * i) / 10);
    await page.waitForTimeout(40);
  }
  await page.mouse.up();
}

describe('the world editor', () => {
  let ann: Page;
  let bob: Page;
  let annId: string;
  let worldId: string;
  let chairId: string;
  let movedTo: [number, number, number];

  step('Ann signs up and makes a world guests may only look at; Bob comes in as such a guest', async () => {
    ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await signUp(ann, 'ann');
    await ann.getByTestId('world-guests').selectOption('viewer');
    await ann.getByTestId('world-template').selectOption('studio');
    worldId = await createWorld(ann, 'Furnishing');
    annId = await sessionId(ann);
    bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(bob);
    await expect.poll(() => bob.evaluate(() => (document.querySelector('.world-page') as HTMLElement | null)?.dataset.role), { timeout: 10_000 }).toBe('viewer');
  }, 120_000);

  step('an owner places a chair from the Edit world panel and drags it; a second browser sees it appear and move', async () => {
    await ann.getByTestId('edit-world').click();
    await expect.poll(() => ann.evaluate(() => window.__dwc!.editing!())).toBe(true);
    await screenshot(ann, 'world-editor-panel');
    const before = (await props(ann)).map((p) => p.id);
    await ann.locator('[data-testid="editor-item"][data-kind="chair"]').click();
    await expect.poll(async () => (await props(bob)).filter((p) => !before.includes(p.id)).map((p) => p.kind), { timeout: 10_000 }).toEqual(['chair']);
    const chair = (await props(ann)).find((p) => p.kind === 'chair')!;
    chairId = chair.id;
    // on the floor, ahead of Ann (who looks down -z), and drawn from the catalogue's model, one mesh for the kind
    expect(chair.position[1]).toBe(0);
    await expect.poll(() => propKinds(bob), { timeout: 15_000 }).toContainEqual({ kind: 'chair', drawnFrom: 'model', instances: 1 });
    await ann.waitForTimeout(300);
    await dragProp(ann, chairId, annId, 220, 40);
    await expect
      .poll(async () => {
        const seen = (await props(bob)).find((p) => p.id === chairId);
        return seen && seen.heldBy === '' && seen.position[0] - chair.position[0] > 0.4 ? 'moved' : JSON.stringify(seen);
      }, { timeout: 15_000 })
      .toBe('moved');
    const bobSees = (await props(bob)).find((p) => p.id === chairId)!;
    movedTo = bobSees.position;
    // it slid along the floor: still standing on it
    expect(bobSees.position[1]).toBeCloseTo(0, 3);
    // and Bob's view has caught up with it
    await expect.poll(async () => (await props(bob)).find((p) => p.id === chairId)?.drawnAt?.[0] ?? 0, { timeout: 5_000 }).toBeCloseTo(movedTo[0], 2);
    await screenshot(ann, 'world-editor-after-drag');
  }, 90_000);

  step('a viewer sees no Edit world button, and an add sent anyway is refused with the reason', async () => {
    expect(await bob.getByTestId('edit-world').isVisible()).toBe(false);
    const guest = await joinWorld(e2e.server.url, worldId, 'Eve');
    guest.sendRaw('propAdd', { type: 'propAdd', kind: 'sofa', position: [1, 0, 1] });
    await until('the refusal', () => guest.errors.length > 0, 10_000);
    const refusal: IntentError = guest.errors[0]!;
    expect(refusal.code).toBe(ErrorCode.FORBIDDEN);
    expect(refusal.message).toMatch(/viewer.*add furniture and props/i);
    await guest.room.leave();
    expect((await props(ann)).some((p) => p.kind === 'sofa')).toBe(false);
  });

  step('Undo takes back her last add, and Ctrl+Z does the same', async () => {
    await ann.locator('[data-testid="editor-item"][data-kind="lamp"]').click();
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).toContain('lamp');
    await ann.getByTestId('editor-undo').click();
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).not.toContain('lamp');
    await ann.locator('[data-testid="editor-item"][data-kind="plant"]').click();
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).toContain('plant');
    await ann.getByTestId('world-canvas').focus();
    await ann.keyboard.press('Control+z');
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).not.toContain('plant');
    // the chair, moved before, stays where it was put
    expect((await props(bob)).find((p) => p.id === chairId)?.position[0]).toBeCloseTo(movedTo[0], 3);
  });

  step('the layout survives a server restart', async () => {
    await e2e.restart();
    for (const page of [ann, bob]) {
      await expect.poll(() => page.getByTestId('connection-status').isVisible(), { timeout: 60_000 }).toBe(false);
      await expect.poll(async () => (await props(page).catch(() => [])).find((p) => p.id === chairId)?.position[0] ?? null, { timeout: 60_000 }).toBeCloseTo(movedTo[0], 3);
    }
    expect((await props(ann)).map((p) => p.kind)).toEqual(['chair']);
  }, 120_000);

  step('a hostile model is refused with the reason; a small valid one joins the catalogue and can be placed', async () => {
    writeFileSync(path.join(SHOTS, 'world-editor-server.log'), e2e.server.output());
    if (!(await ann.getByTestId('editor-panel').isVisible())) await ann.getByTestId('edit-world').click();
    await ann.getByTestId('editor-upload-input').setInputFiles({ name: 'payload.glb', mimeType: 'model/gltf-binary', buffer: Buffer.from(hostileGlb()) });
    await expect.poll(() => ann.getByTestId('editor-upload-status').textContent(), { timeout: 15_000 }).toMatch(/outside/i);
    await screenshot(ann, 'world-editor-upload-refused');
    await ann.getByTestId('editor-upload-input').setInputFiles({ name: 'little_pyramid.glb', mimeType: 'model/gltf-binary', buffer: Buffer.from(await pyramidGlb()) });
    const item = ann.locator('[data-testid="editor-item"]', { hasText: 'little pyramid' });
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    const kind = (await item.getAttribute('data-kind'))!;
    expect(kind).toMatch(/^u-/);
    await item.click();
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).toContain(kind);
    await expect.poll(() => propKinds(bob), { timeout: 15_000 }).toContainEqual({ kind, drawnFrom: 'model', instances: 1 });
    await screenshot(ann, 'world-editor-uploaded');
    await ann.getByTestId('editor-done').click();
    expect(await ann.evaluate(() => window.__dwc!.editing!())).toBe(false);
  }, 60_000);

  step('in an emulated Quest, the menu\'s Room tab places a prop ahead of her', async () => {
    await enterXr(ann, 'vr');
    await expect.poll(async () => (await xr(ann)).controllers.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await xr(ann)).menu?.wrist ?? null, { timeout: 20_000 }).not.toBeNull();
    await moveController(ann, 'left', [-0.2, 1.2, 1.6]);
    await click(ann, 'left', 'y-button');
    await expect.poll(async () => (await xr(ann)).menu?.open, { timeout: 10_000 }).toBe(true);
    const press = async (label: string) => {
      const target = (await xr(ann)).menu?.buttons.find((b) => b.label === label);
      expect(target, `the menu shows "${label}"`).toBeTruthy();
      const [x, y, z] = target!.position;
      await moveController(ann, 'right', [x, y, z + 0.25]);
      await ann.waitForTimeout(200);
      await click(ann, 'right', 'trigger');
    };
    await press('Room');
    await expect.poll(async () => (await xr(ann)).menu?.tab, { timeout: 10_000 }).toBe('room');
    await screenshot(ann, 'world-editor-xr-room-tab');
    await press('Plinth');
    await expect.poll(async () => (await props(bob)).map((p) => p.kind), { timeout: 10_000 }).toContain('plinth');
    const plinth = (await props(bob)).find((p) => p.kind === 'plinth')!;
    const head = (await xr(ann)).head!;
    const ahead = Math.hypot(plinth.position[0] - head[0], plinth.position[2] - head[2]);
    expect(ahead).toBeGreaterThan(1.2);
    expect(ahead).toBeLessThan(1.8);
    expect(plinth.position[1]).toBe(0);
    await press('Close menu');
    await expect.poll(async () => (await xr(ann)).menu?.open, { timeout: 10_000 }).toBe(false);
  }, 90_000);

  step('in the headset, squeezing with the ray on a prop takes hold of it; it slides along the floor with the hand, upright, and stays where let go', async () => {
    const plinth = (await props(ann)).find((p) => p.kind === 'plinth')!;
    const [px, , pz] = plinth.position;
    // above the plinth's top, the ray tilted steeply down onto it (whatever the controller's own ray angle adds)
    const down: [number, number, number, number] = [-0.574, 0, 0, 0.819];
    const offset = await trackingOffset(ann);
    await placeController(ann, 'right', [px, 1.4, pz + 0.15], offset, down);
    await ann.waitForTimeout(200);
    await button(ann, 'right', 'squeeze', 1);
    await expect.poll(async () => (await props(bob)).find((p) => p.id === plinth.id)?.heldBy, { timeout: 10_000 }).toBe(annId);
    for (let i = 1; i <= 6; i++) {
      await placeController(ann, 'right', [px + 0.1 * i, 1.4, pz + 0.15], offset, down);
      await ann.waitForTimeout(80);
    }
    await button(ann, 'right', 'squeeze', 0);
    await expect
      .poll(async () => {
        const p = (await props(bob)).find((x) => x.id === plinth.id)!;
        return p.heldBy === '' && Math.abs(p.position[0] - (px + 0.6)) < 0.1 ? 'moved' : JSON.stringify(p);
      }, { timeout: 10_000 })
      .toBe('moved');
    const after = (await props(bob)).find((x) => x.id === plinth.id)!;
    expect(after.position[1]).toBe(0);
    expect(Math.abs(after.rotation[0]) + Math.abs(after.rotation[2])).toBeLessThan(1e-3);
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  }, 60_000);
});
