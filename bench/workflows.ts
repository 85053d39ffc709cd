/**
 * Workflow engine benchmark: durable step transitions per second on the embedded store with
 * no-op steps, and the engine's overhead per step (dispatch latency p50/p95), beside the same
 * steps run as plain awaited function calls. Prints a table and writes bench/results/workflows.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { WorkflowDefinition } from '../shared/model/workflow';
import { LevelStore } from '../server/adapters/storage/LevelStore';
import { Engine } from '../server/workflows/engine/Engine';
import { StepRegistry } from '../server/workflows/steps';
import { defineStep, done, registered } from '../server/workflows/steps/StepKind';
import { percentile } from './lib/percentile';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const STEPS = 10;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Timing {
  calledAt: number;
  returnedAt: number;
}

async function engineRound(): Promise<{ seconds: number; transitions: number; latencies: number[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dwc-bench-'));
  const store = new LevelStore(path.join(dir, 'store'));
  await store.open();
  const workflows = store.workflowStore();
  const timings = new Map<string, Timing[]>();
  const noop = defineStep({
    kind: 'noop',
    title: 'No-op',
    description: 'does nothing',
    needs: [],
    params: z.strictObject({}),
    async run(_p, ctx) {
      const list = timings.get(ctx.run.id) ?? [];
      const t: Timing = { calledAt: performance.now(), returnedAt: 0 };
      list.push(t);
      timings.set(ctx.run.id, list);
      t.returnedAt = performance.now();
      return done(null);
    },
  });
  let transitions = 0;
  // the store as the engine sees it, counting every persisted transition
  const instrumented: typeof workflows = Object.assign(Object.create(workflows) as typeof workflows, {
    putRun: async (run: Parameters<typeof workflows.putRun>[0]) => {
      transitions++;
      await workflows.putRun(run);
    },
  });
  const engine = new Engine({
    store: instrumented,
    registry: new StepRegistry([registered(noop)], new Set()),
    adapters: { fetch },
    log: pino({ level: 'silent' }),
    concurrency: CONCURRENCY,
    // every run is of one workflow: let it use every slot, as the figures have always measured
    shareConcurrency: CONCURRENCY,
    defaultStepTimeoutMs: 60_000,
    newId: (() => {
      let n = 0;
      return () => `run${++n}`;
    })(),
  });
  const def = WorkflowDefinition.parse({ name: 'bench', steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, kind: 'noop', name: `S${i}` })) });
  let finished = 0;
  const allDone = new Promise<void>((resolve) =>
    engine.onRun((r) => {
      if (r.status === 'succeeded' && ++finished === RUNS) resolve();
    }),
  );
  const start = performance.now();
  for (let i = 0; i < RUNS; i++) await engine.startRun('wf', 1, def, {}, 'normal');
  await allDone;
  const seconds = (performance.now() - start) / 1000;
  await engine.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const latencies: number[] = [];
  for (const list of timings.values()) for (let i = 1; i < list.length; i++) latencies.push(list[i]!.calledAt - list[i - 1]!.returnedAt);
  return { seconds, transitions, latencies };
}

async function baselineRound(): Promise<{ seconds: number; latencies: number[] }> {
  const noop = async () => null;
  const latencies: number[] = [];
  const start = performance.now();
  for (let r = 0; r < RUNS; r++) {
    let last = performance.now();
    for (let s = 0; s < STEPS; s++) {
      const called = performance.now();
      if (s > 0) latencies.push(called - last);
      await noop();
      last = performance.now();
    }
  }
  return { seconds: (performance.now() - start) / 1000, latencies };
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runWorkflowBench(): Promise<Record<string, unknown>> {
  await engineRound(); // warm-up: JIT, LevelDB files
  const engine = await engineRound();
  const baseline = await baselineRound();
  const steps = RUNS * STEPS;
  const result = {
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    workload: { runs: RUNS, stepsPerRun: STEPS, concurrency: CONCURRENCY, store: 'embedded LevelDB, synced writes' },
    engine: {
      seconds: engine.seconds,
      durableTransitionsPerSecond: engine.transitions / engine.seconds,
      stepsPerSecond: steps / engine.seconds,
      dispatchP50Ms: percentile(engine.latencies, 50),
      dispatchP95Ms: percentile(engine.latencies, 95),
    },
    baseline: {
      seconds: baseline.seconds,
      stepsPerSecond: steps / baseline.seconds,
      dispatchP50Ms: percentile(baseline.latencies, 50),
      dispatchP95Ms: percentile(baseline.latencies, 95),
    },
  };
  const rows: Array<[string, string, string]> = [
    ['steps per second', fmt(result.engine.stepsPerSecond, 0), fmt(result.baseline.stepsPerSecond, 0)],
    ['durable transitions per second', fmt(result.engine.durableTransitionsPerSecond, 0), '—'],
    ['dispatch latency p50 (ms)', fmt(result.engine.dispatchP50Ms, 3), fmt(result.baseline.dispatchP50Ms, 4)],
    ['dispatch latency p95 (ms)', fmt(result.engine.dispatchP95Ms, 3), fmt(result.baseline.dispatchP95Ms, 4)],
  ];
  process.stdout.write(
    `\nWorkflow engine: ${RUNS} runs × ${STEPS} no-op steps, concurrency ${CONCURRENCY}, ${result.machine.cores} cores (${result.machine.cpu}), Node ${process.version}\n`,
  );
  process.stdout.write(`${'figure'.padEnd(34)}${'durable engine'.padStart(16)}${'plain await'.padStart(14)}\n`);
  for (const [k, a, b] of rows) process.stdout.write(`${k.padEnd(34)}${a.padStart(16)}${b.padStart(14)}\n`);
  process.stdout.write(
    `baseline/engine steps-per-second ratio: ${fmt(result.baseline.stepsPerSecond / result.engine.stepsPerSecond, 0)}× (the price of persisting every transition)\n`,
  );
  mkdirSync(path.resolve('bench/results'), { recursive: true });
  writeFileSync(path.resolve('bench/results/workflows.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorkflowBench().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
