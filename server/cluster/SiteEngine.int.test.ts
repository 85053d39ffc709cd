/**
 * The site's workflow engine against a real redis-server: two SiteEngines, each with its own Redis
 * connections and presence as two processes have, over one workflow store (the shared store a site
 * runs on). One holds the lease and runs everything; runs started, cancelled and answered through
 * the other reach it; when the holder goes, the other takes over and finishes its runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowDefinition } from '../../shared/model/workflow';
import { LevelStore } from '../adapters/storage/LevelStore';
import type { WorkflowStore } from '../adapters/storage/WorkflowStore';
import { StepRegistry } from '../workflows/steps';
import { approvalStep } from '../workflows/steps/approval';
import { defineStep, done, registered } from '../workflows/steps/StepKind';
import { Engine } from '../workflows/engine/Engine';
import type { RunRecord } from '../workflows/engine/runMachine';
import { startRedis, type RunningRedis } from '../testing/redisServer';
import { SiteEngine } from './SiteEngine';

const log = pino({ level: 'silent' });
const LEASE_MS = 600;
let redis: RunningRedis;
let dir: string;
let store: LevelStore;
let workflows: WorkflowStore;
let seq = 0;
const opened: Array<{ engine: SiteEngine; redis: Redis; presence: RedisPresence }> = [];

/** Where each attempt of the test step ran, by process. */
const attempts: Array<{ key: string; process: string }> = [];
let release: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();

function stepFor(name: string) {
  return defineStep({
    kind: 'gated',
    title: 'Gated',
    description: 'waits for the test to open its gate',
    needs: [],
    params: z.object({}),
    async run(_p, ctx) {
      attempts.push({ key: ctx.idempotencyKey, process: name });
      await Promise.race([gate, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)))]);
      return done({ ranIn: name });
    },
  });
}

function process(name: string): SiteEngine {
  const client = new Redis(redis.url);
  const presence = new RedisPresence(redis.url);
  const engine = new SiteEngine({
    redis: client,
    presence,
    store: workflows,
    processId: name,
    log,
    leaseMs: LEASE_MS,
    newId: () => `run${++seq}`,
    makeEngine: () =>
      new Engine({
        store: workflows,
        registry: new StepRegistry([registered(stepFor(name)), registered(approvalStep)], new Set()),
        adapters: { fetch },
        log,
        concurrency: 4,
        defaultStepTimeoutMs: 10_000,
        newId: () => `run${++seq}`,
      }),
  });
  opened.push({ engine, redis: client, presence });
  return engine;
}

async function finished(runId: string, timeoutMs = 10_000): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await workflows.getRun(runId);
    if (run && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const def = (steps: Array<Record<string, unknown>>) => WorkflowDefinition.parse({ name: 'Site test', steps });

async function save(d: WorkflowDefinition, id: string) {
  await workflows.saveWorkflow(
    { id, worldId: null, name: d.name, currentVersion: 1, latestVersion: 1, createdAt: '', updatedAt: '' },
    { workflowId: id, version: 1, hash: 'h', definition: d, author: 'test', message: '', createdAt: '' },
  );
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dwc-site-engine-'));
  store = new LevelStore(path.join(dir, 'store'));
  await store.open();
  workflows = store.workflowStore();
  attempts.length = 0;
  gate = new Promise((resolve) => (release = resolve));
  const flush = new Redis(redis.url);
  await flush.flushall();
  flush.disconnect();
});
afterEach(async () => {
  release();
  for (const o of opened.splice(0)) {
    await o.engine.stop();
    o.presence.shutdown();
    o.redis.disconnect();
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the workflow engine of a site of several processes', () => {
  it('SCALE-5: one process holds the engine; a run started through another runs in the holder, and every process hears its changes', async () => {
    const a = process('A');
    await a.start();
    const b = process('B');
    await b.start();
    expect([a.holding, b.holding]).toEqual([true, false]);
    const d = def([{ id: 's1', kind: 'gated', name: 'Gated' }]);
    await save(d, 'wf1');
    const heardOnB: string[] = [];
    b.watchRuns((r) => heardOnB.push(r.status));
    const run = await b.startRun('wf1', 1, d, {}, 'normal');
    await until('the step starts in A', () => attempts.length === 1);
    release();
    const end = await finished(run.id);
    expect(end.status).toBe('succeeded');
    expect(attempts.map((x) => x.process)).toEqual(['A']);
    await until('B hears the run succeed', () => heardOnB.includes('succeeded'));
  });

  it('SCALE-5: an answer and a cancellation given through a process that does not hold the engine reach the run', async () => {
    const a = process('A');
    await a.start();
    const b = process('B');
    await b.start();
    const d = def([{ id: 'ok', kind: 'approval', name: 'Approve' }]);
    await save(d, 'wf2');
    const first = await b.startRun('wf2', 1, d, {}, 'normal');
    await until('the run waits', async () => (await workflows.getRun(first.id))?.status === 'waiting');
    const answered = await b.signal(first.id, 'ok', { approved: true, by: 'tester' }, 'approval');
    expect(answered?.id).toBe(first.id);
    expect((await finished(first.id)).status).toBe('succeeded');

    const second = await b.startRun('wf2', 1, d, {}, 'normal');
    await until('the second run waits', async () => (await workflows.getRun(second.id))?.status === 'waiting');
    expect((await b.cancel(second.id))?.status).toBeDefined();
    expect((await finished(second.id)).status).toBe('cancelled');
  });

  it('SCALE-6: when the holder stops mid-step, the other process takes over and runs the step again under the same idempotency key', async () => {
    const a = process('A');
    await a.start();
    const b = process('B');
    await b.start();
    const d = def([{ id: 's1', kind: 'gated', name: 'Gated' }]);
    await save(d, 'wf3');
    const run = await a.startRun('wf3', 1, d, {}, 'normal');
    await until('the step starts in A', () => attempts.length === 1);
    await a.stop();
    await until('B takes the engine', () => b.holding, LEASE_MS * 4);
    await until('the step starts again in B', () => attempts.length === 2);
    release();
    expect((await finished(run.id)).status).toBe('succeeded');
    expect(attempts.map((x) => x.process)).toEqual(['A', 'B']);
    expect(attempts[1]!.key).toBe(attempts[0]!.key);
  });

  it('SCALE-6: a holder that stops renewing (a process that died) loses the engine within the lease, and runs started meanwhile are not lost', async () => {
    const a = process('A');
    await a.start();
    const b = process('B');
    await b.start();
    // A dies without a word: its engine, timer and connections stop, the lease is left to expire
    const dead = opened.shift()!;
    const inner = dead.engine as unknown as { timer: NodeJS.Timeout; engine: Engine };
    clearInterval(inner.timer);
    await inner.engine.stop();
    dead.presence.shutdown();
    dead.redis.disconnect();
    const d = def([{ id: 's1', kind: 'gated', name: 'Gated' }]);
    await save(d, 'wf4');
    release();
    const run = await b.startRun('wf4', 1, d, {}, 'normal');
    await until('B takes the engine', () => b.holding, LEASE_MS * 5);
    expect((await finished(run.id)).status).toBe('succeeded');
  });
});
