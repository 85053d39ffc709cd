/**
 * A workflow chain from an emulated headset (iwer, a Meta Quest 3): a run started over the REST
 * API shows on the chain's nodes; a node's "+" is pressed with a controller's ray and trigger (lit
 * while the ray is on it) and with a tracked hand's fingertip, and a "−" with an aimed pinch; a document carried in VR and let go
 * on the chain's first node starts a run on it, as a mouse drop does on the desktop.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChainProbe } from '../client/testing/testHook';
import { createWorld, documents, screenshot, useE2e } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { aimController, enterXr, moveControllerTo, setButton, trackingOffset, xrProbe as xr, type Hand, type V3 } from './support/xrDrive';

const e2e = useE2e();

const chains = (page: Page) => page.evaluate(() => window.__dwc!.workflows()) as Promise<ChainProbe[]>;
const worldOf = (page: Page) => /#\/w\/([A-Za-z0-9_-]+)$/.exec(page.url())![1]!;

/** Puts the document pipeline (analyse → anchor → present) in a world over the REST API. */
async function createChain(page: Page): Promise<ChainProbe> {
  const res = await fetch(`${e2e.server.url}/api/v3/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worldId: worldOf(page), template: 'document-pipeline' }),
  });
  expect(res.status).toBe(201);
  await expect.poll(async () => (await chains(page)).length, { timeout: 15_000 }).toBe(1);
  return (await chains(page))[0]!;
}

const enterVr = (page: Page) => enterXr(page, 'vr');


/** Stands the emulated headset at a world position, looking straight ahead (down -Z). */
async function standAt(page: Page, world: V3, offset: V3): Promise<void> {
  await page.evaluate(({ p }) => {
    const d = (window as any).__iwer;
    d.position.set(p[0], p[1], p[2]);
    d.quaternion.set(0, 0, 0, 1);
  }, { p: [world[0] - offset[0], world[1] - offset[1], world[2] - offset[2]] });
}

const addPoint = async (page: Page, chainId: string, stepId: string): Promise<V3> => {
  const p = await page.evaluate(({ chainId, stepId }) => window.__dwc!.nodePosition(chainId, stepId, 'add'), { chainId, stepId });
  expect(p, `the "+" of ${stepId} stands in the room`).not.toBeNull();
  return p!;
};

describe('a workflow chain in VR', () => {
  it('shows a run started over REST on its nodes, adds a step by ray and trigger, and starts a run on a document let go on its first node', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Chain in VR');
    const chain = await createChain(ann);
    const contract = (await documents(ann)).find((d) => d.title === 'Service contract')!;
    expect(contract, 'the world has the service contract').toBeTruthy();

    // a run started over REST shows on the chain, node by node, not only in the room state
    const res = await fetch(`${e2e.server.url}/api/v3/workflows/${chain.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { documentId: contract.id } }),
    });
    expect(res.status).toBe(201);
    await expect
      .poll(async () => (await chains(ann))[0]!.steps.map((s) => s.shown), { timeout: 60_000 })
      .toEqual(['succeeded', 'succeeded', 'succeeded']);

    await enterVr(ann);
    await expect.poll(async () => (await xr(ann)).controllers.length, { timeout: 20_000 }).toBe(2);
    const offset = await trackingOffset(ann);

    // Ann steps up to the chain and points the right controller, held low, at the first node's "+": lit
    const plus = await addPoint(ann, chain.id, 'analyse');
    await standAt(ann, [plus[0] + 0.3, plus[1] + 0.2, plus[2] + 1.3], offset);
    await aimController(ann, 'right', [plus[0] + 0.45, plus[1] - 0.25, plus[2] + 0.9], plus, offset);
    await expect
      .poll(async () => (await xr(ann)).controllers.find((c) => c.handedness === 'right')!.pointingAt, { timeout: 10_000 })
      .toBe('Add a step after “Analyse”');
    await screenshot(ann, 'xr-chain-ray-hover');
    await setButton(ann, 'right', 'trigger', 1);
    await expect.poll(async () => (await chains(ann))[0]!.steps.length, { timeout: 15_000 }).toBe(4);
    await setButton(ann, 'right', 'trigger', 0);
    expect((await chains(ann))[0]!.draft).toBe(true);
    // one pull, one step
    await ann.waitForTimeout(500);
    expect((await chains(ann))[0]!.steps.map((s) => s.kind)).toEqual(['ai_analysis', 'ai_analysis', 'blockchain_anchor', 'present']);

    // the left hand points at the same place: the ray moves to the hand that pulls its trigger
    const plusNow = await addPoint(ann, chain.id, 'analyse');
    await moveControllerTo(ann, 'right', [plusNow[0] + 2, plusNow[1] - 1, plusNow[2] + 0.5]);
    await moveControllerTo(ann, 'left', [plusNow[0], plusNow[1], plusNow[2] + 0.5]);
    await setButton(ann, 'left', 'trigger', 1);
    await expect.poll(async () => (await chains(ann))[0]!.steps.length, { timeout: 15_000 }).toBe(5);
    await setButton(ann, 'left', 'trigger', 0);
    // the new step moved the nodes along; the left ray follows the "+" there and lights it
    const plusAfter = await addPoint(ann, chain.id, 'analyse');
    await moveControllerTo(ann, 'left', [plusAfter[0], plusAfter[1], plusAfter[2] + 0.5]);
    await expect
      .poll(async () => (await xr(ann)).controllers.map((c) => `${c.handedness}:${c.pointingAt}`).sort(), { timeout: 10_000 })
      .toEqual(['left:Add a step after “Analyse”', 'right:null']);
    await screenshot(ann, 'xr-chain-left-ray');

    // carry the service contract onto the first node with the right controller and let go there
    const doc = (await documents(ann)).find((d) => d.id === contract.id)!;
    const grabAt: V3 = [doc.position[0], doc.position[1], doc.position[2] + 0.04];
    await moveControllerTo(ann, 'left', [plusNow[0] - 2, plusNow[1] - 1, plusNow[2] + 0.5]);
    await moveControllerTo(ann, 'right', grabAt);
    await ann.waitForTimeout(200);
    await setButton(ann, 'right', 'squeeze', 1);
    await expect.poll(async () => (await xr(ann)).holding, { timeout: 10_000 }).toBe(contract.id);
    const node = (await ann.evaluate((id) => window.__dwc!.nodePosition(id, 'analyse'), chain.id))!;
    const target: V3 = [node[0], node[1], node[2] + 0.1];
    for (let i = 1; i <= 10; i++) {
      const t = i / 10;
      const at = doc.position.map((v, k) => v + (target[k]! - v) * t) as V3;
      await moveControllerTo(ann, 'right', [at[0], at[1], at[2] + 0.04]);
      await ann.waitForTimeout(50);
    }
    await setButton(ann, 'right', 'squeeze', 0);
    await expect
      .poll(async () => (await ann.evaluate(() => window.__dwc!.runs())).filter((r) => r.documentId === contract.id).length, { timeout: 15_000 })
      .toBe(2);
    await expect.poll(() => ann.locator('.toast', { hasText: 'Started “Document processing pipeline”' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(ann, 'xr-chain-dropped-document');
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });

  it('adds a step with a fingertip touching "+", once per touch, and removes one with a pinch aimed at "−"', async () => {
    const eve = await e2e.openLobby('Eve', (page) => installXrEmulator(page));
    await createWorld(eve, 'Chain by hand');
    const chain = await createChain(eve);
    await eve.evaluate(() => ((window as any).__iwer.primaryInputMode = 'hand'));
    await enterVr(eve);
    await expect.poll(async () => (await xr(eve)).controllers.filter((c) => c.hand && c.fingertip).length, { timeout: 20_000 }).toBe(2);

    /** Moves the left hand so its index fingertip lands on `target`. */
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
    const plus = await addPoint(eve, chain.id, 'present');
    // coming near lights it before it is touched
    await touch([plus[0], plus[1], plus[2] + 0.04]);
    await expect
      .poll(async () => (await xr(eve)).controllers.find((c) => c.handedness === 'left')!.pointingAt, { timeout: 10_000 })
      .toBe('Add a step after “Present”');
    expect((await chains(eve))[0]!.steps.length).toBe(3);
    await touch(plus);
    await expect.poll(async () => (await chains(eve))[0]!.steps.length, { timeout: 15_000 }).toBe(4);
    await screenshot(eve, 'xr-chain-fingertip');
    // resting there presses nothing more
    await eve.waitForTimeout(600);
    expect((await chains(eve))[0]!.steps.length).toBe(4);
    // away and back presses once more
    await touch([plus[0], plus[1], plus[2] + 0.2]);
    await eve.waitForTimeout(300);
    await touch(await addPoint(eve, chain.id, 'present'));
    await expect.poll(async () => (await chains(eve))[0]!.steps.length, { timeout: 15_000 }).toBe(5);

    // a pinch of the right hand aimed from a little way off at a node's "−" presses it
    const minus = (await eve.evaluate((id) => window.__dwc!.nodePosition(id, 'anchor', 'remove'), chain.id))!;
    const offset = await trackingOffset(eve);
    await eve.evaluate(
      ({ p }) => {
        const hand = (window as any).__iwer.hands.right;
        hand.position.set(p[0], p[1], p[2]);
        hand.quaternion.set(0, 0, 0, 1);
      },
      { p: [minus[0] - offset[0], minus[1] - offset[1], minus[2] + 0.35 - offset[2]] },
    );
    await expect
      .poll(async () => (await xr(eve)).controllers.find((c) => c.handedness === 'right')!.pointingAt, { timeout: 10_000 })
      .toBe('Remove “Anchor on chain”');
    await eve.evaluate(() => (window as any).__iwer.hands.right.updatePinchValue(1));
    await expect.poll(async () => (await chains(eve))[0]!.steps.map((s) => s.kind).includes('blockchain_anchor'), { timeout: 15_000 }).toBe(false);
    await eve.evaluate(() => (window as any).__iwer.hands.right.updatePinchValue(0));
    expect((await chains(eve))[0]!.steps.length).toBe(4);
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
