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
import { delayStep } from '../steps/delay';
import { StepFailure, defineStep, done, registered, sleep } from '../steps/StepKind';
import { Engine, type EngineOptions } from './Engine';
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
const scripted = defineStep({
  kind: 'scripted',
  title: 'Scripted',
  description: 'test',
  needs: [],
  params: z.object({ label: z.string().optional() }),
  async run(_p, ctx) {
    calls.push({ key: ctx.idempotencyKey, attempt: ctx.step.attempt, step: ctx.step.id });
    return done(await script(ctx.step.id, ctx.step.attempt, ctx.signal));
  },
});

function engine(concurrency = 4, extra: Partial<EngineOptions> = {}) {
  const e = new Engine({
    ...extra,
    store: workflows,
    registry: new StepRegistry([registered(scripted), registered(approvalStep), registered(delayStep)], new Set()),
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

async function save(def: WorkflowDefinition, id = 'wf1', worldId: string | null = null) {
  await workflows.saveWorkflow(
    { id, worldId, name: def.name, currentVersion: 1, latestVersion: 1, createdAt: '', updatedAt: '' },
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
  it('RUN-2: runs every step in order, persisting each transition and logging it', async () => {
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

  it('RUN-4: retries a failing step with backoff, then succeeds', async () => {
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

  it('RUN-5: fails a step that times out every time, with the reason', async () => {
    const def = definition([{ id: 'a', kind: 'scripted', name: 'A', timeoutMs: 30, retry: { maxAttempts: 2, initialDelayMs: 5 } }]);
    script = (_s, _a, signal) => sleep(10_000, signal);
    const e = engine();
    const run = await finished(e, (await e.startRun('wf1', 1, def, {}, 'normal')).id);
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatchObject({ code: 'TIMEOUT' });
    expect(calls).toHaveLength(2);
  });

  it('RUN-6: cancels a run mid-step through the abort signal', async () => {
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

  it('RUN-3: waits at an approval and goes on when it is approved; a rejection fails the run', async () => {
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

  it('RUN-1, RUN-9: starts queued runs by priority when the concurrency limit is reached', async () => {
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

  it('RUN-10, IDEM-1: resumes an interrupted run after a restart with the same idempotency key', async () => {
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

  it('RUN-7: skips a step whose condition does not hold', async () => {
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

describe('sharing the engine between worlds', () => {
  const executing = (step: string) => calls.filter((c) => c.step === step).length;
  const parkedDelay = async (runId: string) => (await workflows.getRun(runId))!.steps[0]!.wakeAt !== undefined;

  it('RUN-9: parks a long delay without holding a slot, so eight of them in one world do not stop another world', async () => {
    const long = definition([{ id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 60_000 } }]);
    const quick = definition([{ id: 'b', kind: 'scripted', name: 'B' }]);
    await save(long, 'wfA', 'worldA');
    await save(quick, 'wfB', 'worldB');
    const e = engine(2);
    const parked: RunRecord[] = [];
    for (let n = 0; n < 8; n++) parked.push(await e.startRun('wfA', 1, long, {}, 'normal'));
    await until(async () => (await Promise.all(parked.map((r) => parkedDelay(r.id)))).every(Boolean));
    const other = await finished(e, (await e.startRun('wfB', 1, quick, {}, 'normal')).id);
    expect(other.status).toBe('succeeded');
    const first = (await workflows.getRun(parked[0]!.id))!;
    expect([first.status, first.steps[0]!.status]).toEqual(['running', 'running']);
  });

  it('RUN-9: lets one world execute at most its share of the slots, even with critical runs', async () => {
    const a = definition([{ id: 'a', kind: 'scripted', name: 'A' }]);
    const b = definition([{ id: 'b', kind: 'scripted', name: 'B' }]);
    await save(a, 'wfA', 'worldA');
    await save(b, 'wfB', 'worldB');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    script = async (step) => (step === 'a' ? gate.then(() => ({})) : {});
    const e = engine(4);
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await e.startRun('wfA', 1, a, { n }, 'critical')).id);
    await until(async () => executing('a') === 2);
    const other = await finished(e, (await e.startRun('wfB', 1, b, {}, 'normal')).id);
    expect(other.status).toBe('succeeded');
    expect(executing('a')).toBe(2);
    release();
    for (const id of ids) expect((await finished(e, id)).status).toBe('succeeded');
  });

  it('RUN-9: among runs of equal priority, starts one from the world with fewest executing first', async () => {
    const a = definition([{ id: 'a', kind: 'scripted', name: 'A' }]);
    const b = definition([{ id: 'b', kind: 'scripted', name: 'B' }]);
    await save(a, 'wfA', 'worldA');
    await save(b, 'wfB', 'worldB');
    const gates: Array<() => void> = [];
    script = (step) => new Promise((resolve) => gates.push(() => resolve({ step })));
    const e = engine(2, { shareConcurrency: 2 });
    const first = await e.startRun('wfA', 1, a, {}, 'normal');
    await e.startRun('wfA', 1, a, {}, 'normal');
    await until(async () => calls.length === 2);
    const laterA = await e.startRun('wfA', 1, a, {}, 'normal');
    const laterB = await e.startRun('wfB', 1, b, {}, 'normal');
    gates[0]!();
    await finished(e, first.id);
    await until(async () => calls.length === 3);
    expect(calls[2]!.key).toBe(`${laterB.id}/b`);
    for (let i = 1; i < 4; i++) {
      await until(async () => gates.length > i);
      gates[i]!();
    }
    expect((await finished(e, laterA.id)).status).toBe('succeeded');
  });

  it('RUN-10: resumes a parked delay after a restart at its stored wake-up time, not from the start', async () => {
    // a clock the test can move forward: real time plus an offset
    let offset = 0;
    const now = () => Date.now() + offset;
    const def = definition([
      { id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 60_000 } },
      { id: 'after', kind: 'scripted', name: 'After' },
    ]);
    await save(def);
    const first = engine(4, { now });
    const run = await first.startRun('wf1', 1, def, {}, 'normal');
    await until(() => parkedDelay(run.id));
    await first.stop();
    const parked = (await workflows.getRun(run.id))!;
    expect(parked.steps[0]).toMatchObject({ status: 'running', wakeAt: parked.updatedAt + 60_000 });

    offset = parked.steps[0]!.wakeAt! - Date.now() - 100;
    const second = engine(4, { now });
    expect(await second.start()).toBe(1);
    const end = await finished(second, run.id);
    expect(end.status).toBe('succeeded');
    expect(end.steps[0]!.output).toEqual({ waitedMs: 60_000 });
    expect(calls.map((c) => c.step)).toEqual(['after']);
  });

  it('RUN-9: holds no slot for a run waiting at an approval', async () => {
    const approve = definition([{ id: 'ok', kind: 'approval', name: 'OK' }]);
    const e = engine(1);
    const waiting = await e.startRun('wf1', 1, approve, {}, 'normal');
    await until(async () => (await workflows.getRun(waiting.id))!.status === 'waiting');
    const other = await finished(e, (await e.startRun('wf2', 1, definition([{ id: 'b', kind: 'scripted', name: 'B' }]), {}, 'normal')).id);
    expect(other.status).toBe('succeeded');
  });

  it('RUN-6: cancels a parked run at once', async () => {
    const def = definition([{ id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 60_000 } }]);
    const e = engine();
    const run = await e.startRun('wf1', 1, def, {}, 'normal');
    await until(() => parkedDelay(run.id));
    await e.cancel(run.id);
    expect((await finished(e, run.id)).status).toBe('cancelled');
  });
});
