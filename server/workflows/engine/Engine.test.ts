import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowDefinition, type Priority } from '../../../shared/model/workflow';
import { LevelStore } from '../../adapters/storage/LevelStore';
import type { WorkflowStore } from '../../adapters/storage/WorkflowStore';
import { StepRegistry } from '../steps';
import { approvalStep } from '../steps/approval';
import { StepFailure, done, sleep, type StepKind } from '../steps/StepKind';
import { Engine } from './Engine';
import type { RunRecord } from './runMachine';

const log = pino({ level: 'silent' });
let dir: string;
let store: LevelStore;
let workflows: WorkflowStore;
let engines: Engine[] = [];
let seq = 0;

/** A step kind whose behaviour each test scripts, recording every call. */
const calls: Array<{ key: string; attempt: number; step: string }> = [];
let script: (step: string, attempt: number, signal: AbortSignal) => Promise<unknown> = async () => ({});
const scripted: StepKind<{ label?: string }> = {
  kind: 'scripted',
  title: 'Scripted',
  description: 'test',
  params: z.object({ label: z.string().optional() }),
  async run(_p, ctx) {
    calls.push({ key: ctx.idempotencyKey, attempt: ctx.step.attempt, step: ctx.step.id });
    return done(await script(ctx.step.id, ctx.step.attempt, ctx.signal));
  },
};

function engine(concurrency = 4) {
  const e = new Engine({
    store: workflows,
    registry: new StepRegistry([scripted, approvalStep] as StepKind<never>[]),
    adapters: { fetch },
    log,
    concurrency,
    defaultStepTimeoutMs: 2000,
    newId: () => `run${++seq}`,
  });
  engines.push(e);
  return e;
}

function definition(steps: Array<Record<string, unknown>>) {
  return WorkflowDefinition.parse({ name: 'Test', steps });
}

async function finished(e: Engine, runId: string, timeoutMs = 5000): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await workflows.getRun(runId);
    if (run && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run?.steps)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function save(def: WorkflowDefinition, id = 'wf1') {
  await workflows.saveWorkflow(
    { id, worldId: null, name: def.name, currentVersion: 1, latestVersion: 1, createdAt: '', updatedAt: '' },
    { workflowId: id, version: 1, hash: 'h', definition: def, author: 'test', message: '', createdAt: '' },
  );
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dwc-engine-'));
  store = new LevelStore(path.join(dir, 'store'));
  await store.open();
  workflows = store.workflowStore();
  calls.length = 0;
  script = async () => ({});
});
afterEach(async () => {
  for (const e of engines) await e.stop();
  engines = [];
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('workflow engine', () => {
  it('runs every step in order, persisting each transition and logging it', async () => {
    const def = definition([
      { id: 'a', kind: 'scripted', name: 'A' },
      { id: 'b', kind: 'scripted', name: 'B' },
    ]);
    script = async (step) => ({ from: step });
    const e = engine();
    const seen: string[] = [];
    e.onRun((r) => seen.push(r.steps.map((s) => s.status).join(',')));
    const run = await e.startRun('wf1', 1, def, { documentId: 'd1' }, 'normal');
    const done = await finished(e, run.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => s.output)).toEqual([{ from: 'a' }, { from: 'b' }]);
    expect(seen).toContain('running,pending');
    expect(seen).toContain('succeeded,running');
    expect(done.log.map((l) => l.message)).toEqual(expect.arrayContaining(['started (attempt 1)', 'succeeded', 'run succeeded']));
  });

  it('retries a failing step with backoff, then succeeds', async () => {
    const def = definition([{ id: 'a', kind: 'scripted', name: 'A', retry: { maxAttempts: 3, initialDelayMs: 20, jitter: 0 } }]);
    script = async (_s, attempt) => {
      if (attempt < 3) throw new StepFailure('FLAKY', 'not yet');
      return { ok: true };
    };
    const e = engine();
    const run = await finished(e, (await e.startRun('wf1', 1, def, {}, 'normal')).id);
    expect(run.status).toBe('succeeded');
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
  });

  it('fails a step that times out every time, with the reason', async () => {
    const def = definition([{ id: 'a', kind: 'scripted', name: 'A', timeoutMs: 30, retry: { maxAttempts: 2, initialDelayMs: 5 } }]);
    script = (_s, _a, signal) => sleep(10_000, signal);
    const e = engine();
    const run = await finished(e, (await e.startRun('wf1', 1, def, {}, 'normal')).id);
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatchObject({ code: 'TIMEOUT' });
    expect(calls).toHaveLength(2);
  });

  it('cancels a run mid-step through the abort signal', async () => {
    const def = definition([
      { id: 'a', kind: 'scripted', name: 'A' },
      { id: 'b', kind: 'scripted', name: 'B' },
    ]);
    let aborted = false;
    script = (_s, _a, signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return sleep(10_000, signal);
    };
    const e = engine();
    const run = await e.startRun('wf1', 1, def, {}, 'normal');
    await until(async () => calls.length === 1);
    await e.cancel(run.id);
    const end = await finished(e, run.id);
    expect(aborted).toBe(true);
    expect(end.status).toBe('cancelled');
    expect(end.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('waits at an approval and goes on when it is approved; a rejection fails the run', async () => {
    const def = definition([
      { id: 'ok', kind: 'approval', name: 'Approve' },
      { id: 'after', kind: 'scripted', name: 'After' },
    ]);
    await save(def);
    const e = engine();
    const run = await e.startRun('wf1', 1, def, {}, 'normal');
    await until(async () => (await workflows.getRun(run.id))?.status === 'waiting');
    expect(await e.signal(run.id, 'after', { approved: true, by: 'Ann' })).toBeDefined();
    await e.signal(run.id, 'ok', { approved: true, by: 'Ann', comment: 'fine' });
    const end = await finished(e, run.id);
    expect(end.status).toBe('succeeded');
    expect(end.steps[0]!.output).toMatchObject({ approved: true, by: 'Ann' });

    const second = await e.startRun('wf1', 1, def, {}, 'normal');
    await until(async () => (await workflows.getRun(second.id))?.status === 'waiting');
    await e.signal(second.id, 'ok', { approved: false, by: 'Bob', comment: 'no' });
    const rejected = await finished(e, second.id);
    expect(rejected.status).toBe('failed');
    expect(rejected.steps[0]!.error).toMatchObject({ code: 'REJECTED', retryable: false });
  });

  it('starts queued runs by priority when the concurrency limit is reached', async () => {
    const def = definition([{ id: 'a', kind: 'scripted', name: 'A' }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    script = async () => {
      await gate;
      return {};
    };
    const e = engine(1);
    const blocker = await e.startRun('wf1', 1, def, { n: 'blocker' }, 'normal');
    await until(async () => calls.length === 1);
    e.onRun((r) => r.status === 'running' && r.steps[0]!.status === 'running' && !order.includes(r.input.n as string) && order.push(r.input.n as string));
    const ids: string[] = [];
    for (const p of ['low', 'normal', 'critical', 'high'] as Priority[]) ids.push((await e.startRun('wf1', 1, def, { n: p }, p)).id);
    release();
    for (const id of [blocker.id, ...ids]) await finished(e, id);
    expect(order).toEqual(['critical', 'high', 'normal', 'low']);
  });

  it('resumes an interrupted run after a restart with the same idempotency key', async () => {
    const def = definition([
      { id: 'a', kind: 'scripted', name: 'A' },
      { id: 'b', kind: 'scripted', name: 'B' },
    ]);
    await save(def);
    script = (step, _a, signal) => (step === 'b' ? sleep(10_000, signal).then(() => ({})) : Promise.resolve({}));
    const first = engine();
    const run = await first.startRun('wf1', 1, def, {}, 'normal');
    await until(async () => calls.some((c) => c.step === 'b'));
    await first.stop();
    expect((await workflows.getRun(run.id))!.steps[1]!.status).toBe('running');

    script = async () => ({ resumed: true });
    const second = engine();
    expect(await second.start()).toBe(1);
    const end = await finished(second, run.id);
    expect(end.status).toBe('succeeded');
    const bCalls = calls.filter((c) => c.step === 'b');
    expect(bCalls).toHaveLength(2);
    expect(bCalls[0]!.key).toBe(bCalls[1]!.key);
    expect(bCalls[1]!.attempt).toBe(bCalls[0]!.attempt);
  });

  it('skips a step whose condition does not hold', async () => {
    const def = definition([
      { id: 'a', kind: 'scripted', name: 'A' },
      { id: 'b', kind: 'scripted', name: 'B', when: { step: 'a', path: 'go', op: 'eq', value: true } },
    ]);
    script = async (step) => (step === 'a' ? { go: false } : {});
    const e = engine();
    const end = await finished(e, (await e.startRun('wf1', 1, def, {}, 'normal')).id);
    expect(end.steps.map((s) => s.status)).toEqual(['succeeded', 'skipped']);
    expect(calls.map((c) => c.step)).toEqual(['a']);
  });
});
