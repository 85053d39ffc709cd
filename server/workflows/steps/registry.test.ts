import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { LevelStore } from '../../adapters/storage/LevelStore';
import { AppError } from '../../errors';
import { Engine } from '../engine/Engine';
import { WorkflowService } from '../WorkflowService';
import { BUILT_IN_STEPS, StepRegistry } from '.';
import { EVERY_ADAPTER, defineStep, done, offeredBy, registered, type AdapterName } from './StepKind';

const echo = (kind: string) => registered(defineStep({ kind, title: kind, description: 'test', needs: [], params: z.strictObject({}), run: async () => done(null) }));

describe('step registry', () => {
  it('refuses a kind registered twice', () => {
    expect(() => new StepRegistry([echo('twice'), echo('once'), echo('twice')], EVERY_ADAPTER)).toThrow(/"twice" is registered twice/);
  });

  it('has a built-in kind for every name, and a name for every built-in kind', () => {
    expect(new StepRegistry(BUILT_IN_STEPS, EVERY_ADAPTER).names().sort()).toEqual(Object.values(STEP_KIND).sort());
  });

  it('knows which adapters a server offers', () => {
    expect([...offeredBy({ fetch, ai: undefined, documentText: async () => '' })].sort()).toEqual(['documentText', 'fetch']);
  });

  it('refuses a step whose kind needs an adapter this server does not offer, naming it', () => {
    const noChain = new Set([...EVERY_ADAPTER].filter((name) => name !== 'anchorDocument' && name !== 'verifyDocument'));
    const registry = new StepRegistry(BUILT_IN_STEPS, noChain);
    expect(registry.check(STEP_KIND.BLOCKCHAIN_ANCHOR, {})).toEqual({ ok: false, message: expect.stringMatching(/"blockchain_anchor" step needs a blockchain to anchor on/) });
    expect(registry.check(STEP_KIND.PRESENT, {})).toMatchObject({ ok: true });
  });

  it('does not run a kind without the adapters it needs, even when its parameters are valid', async () => {
    const chainStep = BUILT_IN_STEPS.find((k) => k.kind === STEP_KIND.BLOCKCHAIN_ANCHOR)!;
    const prepared = chainStep.prepare({});
    if (!prepared.ok) throw prepared.error;
    const ctx = { run: { id: 'r', workflowId: 'w', version: 1, input: { documentId: 'd' }, worldId: null }, step: { id: 's', name: 'S', attempt: 1 }, idempotencyKey: 'k', outputs: {}, answer: undefined, wakeAt: undefined, signal: AbortSignal.timeout(1000), log: pino({ level: 'silent' }), adapters: { fetch } };
    await expect(prepared.run(ctx)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: false, message: expect.stringMatching(/blockchain to anchor on/) });
  });
});

describe('saving a workflow on a server without an adapter its steps need', () => {
  let dir: string;
  let store: LevelStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dwc-registry-'));
    store = new LevelStore(path.join(dir, 'store'));
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused with a 400 naming the step and what is missing, and saves nothing', async () => {
    const offered = new Set<AdapterName>(['fetch', 'documentText', 'createDocument', 'ai']);
    const workflows = store.workflowStore();
    const registry = new StepRegistry(BUILT_IN_STEPS, offered);
    const engine = new Engine({ store: workflows, registry, adapters: { fetch }, log: pino({ level: 'silent' }), concurrency: 1, defaultStepTimeoutMs: 1000, newId: () => 'run1' });
    const service = new WorkflowService(workflows, registry, engine);
    const refusal = await service.create({ template: 'document-pipeline' }, 'ann', 'u1').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 400, message: 'Step 2 ("Anchor on chain") is not valid: a "blockchain_anchor" step needs a blockchain to anchor on, which this server does not offer' });
    expect(await workflows.listWorkflows()).toEqual([]);
    // the same workflow without the chain step is fine
    const saved = await service.create({ definition: { name: 'Analyse only', steps: [{ id: 'a', kind: STEP_KIND.AI_ANALYSIS, name: 'Analyse' }] } }, 'ann', 'u1');
    expect(saved.workflow.name).toBe('Analyse only');
  });
});
