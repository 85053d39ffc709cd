/**
 * Workflow chains in two browsers: Ann creates a 3-step chain from a template in the 2D builder,
 * Bob sees it stand in the room, Ann drops a document on its first node with the real mouse, and
 * both watch every step go running → succeeded with the result panel linked to the chain. Then
 * both edit at once: Ann reorders in 3D and saves, Bob's save against the old version is refused
 * with the server's message and his draft is kept, and he applies it to the newest version.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import type { ChainProbe, DocumentProbe } from '../client/testing/testHook';
import { createWorld, documents, scenarioSteps, screenshot, useE2e, waitReady } from './support/harness';

const e2e = useE2e({}, {}, { pagesOutliveTests: true });
const step = scenarioSteps();

const chains = (page: Page) => page.evaluate(() => window.__dwc!.workflows()) as Promise<ChainProbe[]>;

/** Moves the real mouse in small steps, as a hand would. */
async function glide(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 14) {
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await page.waitForTimeout(30);
  }
}

describe('workflow chains in the world', () => {
  let ann: Page;
  let bob: Page;
  let chain: ChainProbe;
  let contract: DocumentProbe;

  beforeAll(async () => {
    ann = await e2e.openLobby('Ann');
    const worldId = await createWorld(ann, 'Workflows e2e');
    bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click();
    await waitReady(bob);
  });

  step('Ann creates the document pipeline from its template in the builder, its forms made from the step schemas', async () => {
    await ann.getByTestId('workflows-toggle').click();
    await expect.poll(() => ann.getByTestId('wf-template').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await ann.getByTestId('wf-template').selectOption('document-pipeline');
    await ann.getByTestId('wf-create').click();
    await expect.poll(() => ann.getByTestId('wf-step').count(), { timeout: 10_000 }).toBe(3);
    // the form for the analysis step was generated from its schema
    await expect.poll(() => ann.getByTestId('wf-param-analyse-summarySentences').inputValue()).toBe('3');
  });

  step("the new chain stands in both rooms, with its first node on Bob's screen", async () => {
    for (const page of [ann, bob]) {
      await expect
        .poll(async () => (await chains(page)).map((c) => [c.name, c.version, c.steps.map((s) => s.kind)]), { timeout: 15_000 })
        .toEqual([['Document processing pipeline', 1, ['ai_analysis', 'blockchain_anchor', 'present']]]);
    }
    chain = (await chains(bob))[0]!;
    const bobNode = await bob.evaluate((id) => window.__dwc!.nodeScreenPoint(id, 'analyse'), chain.id);
    expect(bobNode, 'the first node is in front of Bob').not.toBeNull();
    await screenshot(bob, 'workflows-bob-sees-chain');
  });

  step('dropping a document on the first node with the real mouse runs the chain: both see every step succeed and the result panel linked', async () => {
    // Ann drags the service contract onto the chain's first node with the real mouse
    contract = (await documents(ann)).find((d) => d.title === 'Service contract')!;
    const from = await ann.evaluate((id) => window.__dwc!.screenPointOf(id), contract.id);
    const onto = await ann.evaluate((id) => window.__dwc!.nodeScreenPoint(id, 'analyse'), chain.id);
    expect(from && onto, 'the document and the first node are on screen').toBeTruthy();
    await ann.mouse.move(from!.x, from!.y);
    await ann.mouse.down();
    await glide(ann, from!, onto!);
    await ann.mouse.up();

    // both see the run on that document finish, every step succeeded, and the result linked
    for (const page of [ann, bob]) {
      await expect
        .poll(async () => (await chains(page))[0]!.steps.map((s) => s.status), { timeout: 60_000 })
        .toEqual(['succeeded', 'succeeded', 'succeeded']);
      const runs = await page.evaluate(() => window.__dwc!.runs());
      expect(runs.map((r) => [r.status, r.documentId])).toEqual([['succeeded', contract.id]]);
      const present = (await chains(page))[0]!.steps[2]!;
      expect(present.resultDocumentId).not.toBe('');
      await expect
        .poll(async () => {
          const result = (await documents(page)).find((d) => d.id === present.resultDocumentId);
          const linked = (await chains(page))[0]!.steps[2]!.resultLinked;
          return [result?.title, result?.contentLoaded, linked];
        }, { timeout: 20_000 })
        .toEqual(['Analysis and proof', true, true]);
    }
  }, 180_000);

  step("the result panel holds the document's summary and its verified proof on chain", async () => {
    // the panel everyone reads holds the summary of the document and its proof on chain
    const resultId = (await chains(ann))[0]!.steps[2]!.resultDocumentId;
    const panel = await (await fetch(`${e2e.server.url}/api/v3/documents/${resultId}/content`)).text();
    expect(panel).toContain('## Summary (analyse)');
    expect(panel).toMatch(/^> \S.+/m);
    expect(panel).toContain('## Proof on chain (anchor)');
    expect(panel).toMatch(/- \*\*Transaction\*\*: 0x[0-9a-f]{64}/);
    expect(panel).toMatch(/- \*\*Block\*\*: \d+/);
    expect(panel).toContain('- **Verified**: yes');
  });

  step('every browser saw each step only go forward, pending → running → succeeded, the long steps seen running', async () => {
    const ORDER = ['pending', 'running', 'succeeded'];
    for (const page of [ann, bob]) {
      // every status this browser received for each step, in order, at the rate the server sends them
      const seen = Object.fromEntries((await page.evaluate(() => window.__dwc!.runs()))[0]!.steps.map((st) => [st.id, st.seen]));
      for (const [step, list] of Object.entries(seen)) {
        // never backwards, never anything else, and always ending in success
        expect(list.every((st, k) => k === 0 || ORDER.indexOf(st) > ORDER.indexOf(list[k - 1]!)), `${step}: ${list.join(' → ')}`).toBe(true);
        expect(list.at(-1), step).toBe('succeeded');
      }
      // a step shorter than one state update (the present step takes milliseconds) can go straight
      // from pending to succeeded; analysing and waiting for the chain to confirm take long enough
      // to be seen running by everyone
      expect(seen.analyse, 'analyse').toContain('running');
      expect(seen.anchor, 'anchor').toContain('running');
      expect(seen.anchor!.indexOf('pending'), 'anchor waits its turn').toBe(0);
    }
    await screenshot(ann, 'workflows-ann-run-succeeded');
    await screenshot(bob, 'workflows-bob-run-succeeded');
  });

  step('the run list shows the finished run with its log from the server', async () => {
    // the run list shows the finished run; its log comes from the server
    await bob.getByTestId('run-panel').locator('summary').click();
    await bob.getByTestId('run-item').first().click();
    await expect.poll(() => bob.getByTestId('run-step').count(), { timeout: 10_000 }).toBe(3);
    await expect(bob.getByTestId('run-log').textContent()).resolves.toContain('anchor');
  });

  step("while Bob holds an unsaved draft, Ann reorders a step with the chain's 3D buttons and saves version 2", async () => {
    // Bob starts editing in his builder: renames the first step (a draft, not saved yet)
    await bob.getByTestId('workflows-toggle').click();
    await bob.locator(`[data-testid="wf-item"][data-workflow-id="${chain.id}"]`).click();
    await expect.poll(() => bob.getByTestId('wf-step').count(), { timeout: 10_000 }).toBe(3);
    await bob.getByTestId('wf-step-name').first().fill('Read it closely');
    await expect(bob.getByTestId('wf-version').textContent()).resolves.toContain('unsaved changes');

    // meanwhile Ann moves the anchor step after "present" with the node's 3D button, and saves in 3D;
    // she closes her 2D panel first, since it covers the right of the view where the chain may stand
    const annPanel = ann.getByTestId('workflows-toggle');
    const setAnnPanel = async (open: boolean) => {
      if ((await annPanel.getAttribute('aria-expanded')) !== String(open)) await annPanel.click();
      await expect.poll(() => annPanel.getAttribute('aria-expanded')).toBe(String(open));
    };
    await setAnnPanel(false);
    const later = await ann.evaluate((id) => window.__dwc!.nodeScreenPoint(id, 'anchor', 'right'), chain.id);
    expect(later).not.toBeNull();
    expect(await ann.evaluate((p) => document.elementFromPoint(p.x, p.y)?.getAttribute("data-testid"), later!)).toBe("world-canvas");
    await ann.mouse.click(later!.x, later!.y);
    await expect.poll(async () => (await chains(ann))[0]!.steps.map((s) => s.id), { timeout: 10_000 }).toEqual(['analyse', 'present', 'anchor']);
    expect((await chains(ann))[0]!.draft).toBe(true);
    // the 2D panel shows the same draft
    await setAnnPanel(true);
    await expect.poll(() => ann.getByTestId('wf-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')))).toEqual(['analyse', 'present', 'anchor']);
    await setAnnPanel(false);
    const save3d = await ann.evaluate((id) => window.__dwc!.chainButtonPoint(id, 'save'), chain.id);
    expect(save3d, 'the 3D save button shows while a draft is on the chain').not.toBeNull();
    await screenshot(ann, 'workflows-ann-3d-draft');
    // nothing of the page lies over the button where she clicks
    expect(await ann.evaluate((p) => document.elementFromPoint(p.x, p.y)?.getAttribute('data-testid'), save3d!)).toBe('world-canvas');
    await ann.mouse.click(save3d!.x, save3d!.y);
    await expect.poll(async () => (await chains(ann))[0]!.latestVersion, { timeout: 15_000 }).toBe(2);
  });

  step("Bob sees version 2 arrive live; his save against version 1 is refused with the server's words and his draft kept", async () => {
    // Bob sees Ann's version arrive live; his own draft stays on his screen
    await expect.poll(async () => (await chains(bob))[0]!.latestVersion, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => bob.getByTestId('wf-notice').textContent(), { timeout: 10_000 }).toContain('version 2');
    // Bob saves against version 1: refused with the server's words, draft and message kept
    await bob.getByTestId('wf-message').fill('clearer name');
    await bob.getByTestId('wf-save').click();
    await expect.poll(() => bob.getByTestId('wf-error').textContent(), { timeout: 10_000 }).toMatch(/changed to version 2 while you edited version 1.*draft was not saved and is kept/);
    expect(await bob.getByTestId('wf-step-name').first().inputValue()).toBe('Read it closely');
    expect(await bob.getByTestId('wf-message').inputValue()).toBe('clearer name');
    expect((await chains(bob))[0]!.version, 'nothing of his was saved').toBe(2);
    await screenshot(bob, 'workflows-bob-refused');
  });

  step('Bob applies his draft to the newest version: version 3 holds both edits and Ann sees it', async () => {
    // he applies his changes to the newest version and saves: version 3 has both edits, Ann sees it
    await bob.getByTestId('wf-rebase').click();
    await expect.poll(() => bob.getByTestId('wf-version').textContent(), { timeout: 10_000 }).toContain('Editing version 2');
    await bob.getByTestId('wf-save').click();
    await expect
      .poll(async () => {
        const c = (await chains(ann))[0]!;
        return [c.version, c.steps.map((s) => s.name)];
      }, { timeout: 15_000 })
      .toEqual([3, ['Read it closely', 'Present', 'Anchor on chain']]);
  });

  step('no page reported an error', async () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
