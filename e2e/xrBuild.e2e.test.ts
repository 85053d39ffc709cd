/**
 * Building a chain from an emulated headset (iwer, a Meta Quest 3), everything by a controller's
 * ray and trigger: Ann opens the in-world menu, makes a new chain from a template on its Chains
 * tab, presses one of the new chain's nodes (the menu opens on that step, listing the kinds it can
 * become), picks another kind, and presses the chain's Save: the server has the new version with
 * that kind. On the desktop the same node press opens the page's builder on that chain.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChainProbe } from '../client/testing/testHook';
import { createWorld, screenshot, useE2e } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { clickButton as click, enterXr, moveControllerTo as moveController, xrProbe as xr, type V3 } from './support/xrDrive';

const e2e = useE2e();

const menu = async (page: Page) => (await xr(page)).menu ?? null;
const chains = (page: Page) => page.evaluate(() => window.__dwc!.workflows()) as Promise<ChainProbe[]>;
const rightPointsAt = async (page: Page) => (await xr(page)).controllers.find((c) => c.handedness === 'right')?.pointingAt ?? null;

/** The right controller a quarter of a metre in front of `at`, its ray on it, and a pull of the trigger once it lights what is meant. */
async function pressAt(page: Page, at: V3, label: string): Promise<void> {
  await moveController(page, 'right', [at[0], at[1], at[2] + 0.25]);
  await expect.poll(() => rightPointsAt(page), { timeout: 10_000 }).toBe(label);
  await click(page, 'right', 'trigger');
}

async function pressMenu(page: Page, label: string): Promise<void> {
  await expect.poll(async () => (await menu(page))?.buttons.map((b) => b.label) ?? [], { timeout: 15_000 }).toContain(label);
  const target = (await menu(page))!.buttons.find((b) => b.label === label)!;
  await pressAt(page, target.position, label);
}

describe('building a chain in VR', () => {
  it('makes a chain from a template in the menu, changes a step to another kind by pressing its node, and saves it on the chain', async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    await createWorld(ann, 'Build in VR');
    expect(await chains(ann)).toEqual([]);
    await enterXr(ann, 'vr');
    await expect.poll(async () => (await xr(ann)).controllers.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await menu(ann))?.wrist ?? null, { timeout: 20_000 }).not.toBeNull();

    // the menu's Chains tab offers a new chain from each template the server has
    await moveController(ann, 'left', [-0.2, 1.2, 1.6]);
    await click(ann, 'left', 'y-button');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(true);
    await pressMenu(ann, 'Chains');
    await expect.poll(async () => (await menu(ann))?.rows ?? [], { timeout: 10_000 }).toContain('New chain from a template:');
    await screenshot(ann, 'xr-build-templates');
    await pressMenu(ann, 'New: Document processing pipeline');
    await expect.poll(async () => (await chains(ann)).map((c) => c.name), { timeout: 15_000 }).toEqual(['Document processing pipeline']);
    await expect.poll(async () => (await menu(ann))?.toasts.map((t) => t.text) ?? [], { timeout: 10_000 }).toContain('New chain “Document processing pipeline” stands in the room.');
    const chain = (await chains(ann))[0]!;
    expect(chain.steps.map((s) => s.kind)).toEqual(['ai_analysis', 'blockchain_anchor', 'present']);
    await pressMenu(ann, 'Close menu');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(false);

    // pressing the second node's face opens the menu on that step, with the kinds it can become
    const face = await ann.evaluate((id) => window.__dwc!.nodePosition(id, 'anchor'), chain.id);
    expect(face, 'the new chain stands in the room').not.toBeNull();
    await pressAt(ann, face!, 'Step 2 · Anchor on chain');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(true);
    expect((await menu(ann))!.tab).toBe('workflows');
    await expect.poll(async () => (await menu(ann))!.rows, { timeout: 10_000 }).toContain('Step 2 · Anchor on chain');
    await expect.poll(async () => (await menu(ann))!.buttons.map((b) => b.label), { timeout: 10_000 }).toEqual(expect.arrayContaining(['Back', 'Analyse', 'Delay', 'Present']));
    await screenshot(ann, 'xr-build-step-kinds');

    // a kind replaces the step in the draft the chain shows; the menu steps aside
    await pressMenu(ann, 'Delay');
    await expect.poll(async () => (await chains(ann))[0]!.steps.map((s) => `${s.id}:${s.kind}`), { timeout: 15_000 }).toEqual(['analyse:ai_analysis', 'anchor:delay', 'present:present']);
    expect((await chains(ann))[0]!.draft).toBe(true);
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(false);

    // the chain's Save keeps it as a new version on the server
    const save = await ann.evaluate((id) => window.__dwc!.chainButtonPosition(id, 'save'), chain.id);
    expect(save, 'Save shows while the draft differs').not.toBeNull();
    await screenshot(ann, 'xr-build-draft');
    await pressAt(ann, save!, 'Save the chain');
    await expect.poll(async () => (await chains(ann))[0]!.version, { timeout: 15_000 }).toBe(2);
    const res = await fetch(`${e2e.server.url}/api/v3/workflows/${chain.id}`);
    expect(res.status).toBe(200);
    const saved = (await res.json()) as { workflow: { latestVersion: number }; current: { definition: { steps: { id: string; kind: string; name: string; params: unknown }[] } } };
    expect(saved.workflow.latestVersion).toBe(2);
    expect(saved.current.definition.steps.map((s) => [s.id, s.kind, s.name])).toEqual([
      ['analyse', 'ai_analysis', 'Analyse'],
      ['anchor', 'delay', 'Delay'],
      ['present', 'present', 'Present'],
    ]);
    expect(saved.current.definition.steps[1]!.params).toEqual({ ms: 0 });
    // the room may announce version 2 before the save's own answer reaches the builder, which then drops the draft
    await expect.poll(async () => (await chains(ann))[0]!.draft, { timeout: 10_000 }).toBe(false);
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });

  it('on the desktop, a click on a node opens the builder on its chain', async () => {
    const bob = await e2e.openLobby('Bob');
    const worldId = await createWorld(bob, 'Build on a desktop');
    const res = await fetch(`${e2e.server.url}/api/v3/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worldId, template: 'review-approve' }),
    });
    expect(res.status).toBe(201);
    await expect.poll(async () => (await chains(bob)).length, { timeout: 15_000 }).toBe(1);
    const chain = (await chains(bob))[0]!;
    expect(await bob.getByTestId('workflow-panel').isVisible()).toBe(false);
    const at = await bob.evaluate((id) => window.__dwc!.nodeScreenPoint(id, 'approve'), chain.id);
    expect(at, 'the node is in view').not.toBeNull();
    await bob.mouse.click(at!.x, at!.y);
    await expect.poll(() => bob.getByTestId('workflow-panel').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => bob.getByTestId('wf-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id'))), { timeout: 10_000 }).toEqual(['analyse', 'approve', 'anchor']);
    // the step pressed is the one in reach: its name field has the focus
    await expect.poll(() => bob.evaluate(() => document.activeElement?.closest('[data-testid="wf-step"]')?.getAttribute('data-step-id') ?? null)).toBe('approve');
    expect(e2e.pageErrors).toEqual([]);
  });
});
