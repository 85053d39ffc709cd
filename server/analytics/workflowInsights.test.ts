import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../shared/model/workflow';
import type { RunRecord, StepRun } from '../workflows/engine/runMachine';
import { percentile, workflowInsights } from './workflowInsights';

const def = {
  name: 'Review',
  steps: [
    { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} },
    { id: 'notify', kind: 'webhook', name: 'Notify', params: {} },
  ],
} as unknown as WorkflowDefinition;

let n = 0;
/** A finished run that started at `at`: analyse took `analyseMs`, notify `notifyMs` after `notifyFailures` failed attempts. */
function run(at: number, o: { analyseMs: number; notifyMs: number; notifyFailures?: number; failed?: boolean; input?: unknown; output?: unknown }): RunRecord {
  const failures = o.notifyFailures ?? 0;
  const analyse: StepRun = { stepId: 'analyse', status: 'succeeded', attempt: 1, firstStartedAt: at, startedAt: at, finishedAt: at + o.analyseMs, output: o.output ?? { n: n } };
  const notifyStart = at + o.analyseMs;
  const notify: StepRun = {
    stepId: 'notify',
    status: o.failed ? 'failed' : 'succeeded',
    attempt: failures + (o.failed ? 0 : 1),
    firstStartedAt: notifyStart,
    startedAt: notifyStart + o.notifyMs - 1,
    finishedAt: notifyStart + o.notifyMs,
    ...(failures ? { failures: { UNREACHABLE: failures } } : {}),
    ...(o.failed ? { error: { code: 'UNREACHABLE', message: `receiver down ${n}`, retryable: true } } : { output: { ok: true } }),
  };
  const end = notifyStart + o.notifyMs;
  return {
    id: `run_${n++}`,
    workflowId: 'wf',
    version: 1,
    status: o.failed ? 'failed' : 'succeeded',
    priority: 'normal',
    input: (o.input ?? { doc: n }) as Record<string, unknown>,
    steps: [analyse, notify],
    signals: {},
    cancelRequested: false,
    log: [],
    createdAt: at,
    updatedAt: end,
    finishedAt: end,
  };
}

describe('workflow insights', () => {
  it('percentiles by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('names where time goes, p50/p95 per step, the failing step and its code, and says what to do', () => {
    const runs: RunRecord[] = [];
    // 20 runs: analyse 800 ms on the same document every time (same result), notify 200 ms, failing
    // once in three attempts; two runs fail outright after three attempts
    for (let i = 0; i < 20; i++) {
      const failed = i === 3 || i === 11;
      runs.push(run(i * 10_000, { analyseMs: 800 + i, notifyMs: 200, notifyFailures: failed ? 3 : i % 3 === 0 ? 1 : 0, failed, input: { doc: 'd1' }, output: { summary: 'same' } }));
    }
    const insight = workflowInsights(def, runs);
    expect(insight.runs).toEqual({ total: 20, succeeded: 18, failed: 2, cancelled: 0, unfinished: 0 });
    expect(insight.successRate).toBeCloseTo(0.9);
    const [analyse, notify] = insight.steps;
    expect(analyse!.p50Ms).toBe(809);
    expect(analyse!.p95Ms).toBe(818);
    expect(analyse!.shareOfTime).toBeGreaterThan(0.75);
    expect(analyse!.repeats).toBe(19);
    expect(notify!.failureCodes).toEqual([{ code: 'UNREACHABLE', count: 6 + 6 }]);
    expect(notify!.failedRuns).toBe(2);
    expect(insight.failureReasons).toEqual([{ stepId: 'notify', name: 'Notify', code: 'UNREACHABLE', count: 2, message: 'receiver down 11' }]);
    const texts = insight.suggestions.map((s) => s.text);
    expect(texts).toContainEqual(expect.stringMatching(/^Step "Notify" fails \d+ % of its attempts with UNREACHABLE: raise its retries or check the receiver\.$/));
    expect(texts).toContainEqual('"Analyse" is 80 % of run time: 19 of its 20 results repeat an earlier one for the same input — caching would save 19 calls.');
  });

  it('suggests nothing from a healthy workflow, and nothing from too few attempts', () => {
    const healthy = Array.from({ length: 10 }, (_, i) => run(i * 1000, { analyseMs: 100, notifyMs: 100 }));
    expect(workflowInsights(def, healthy).suggestions).toEqual([]);
    const few = [run(0, { analyseMs: 100, notifyMs: 100, notifyFailures: 2, failed: true })];
    expect(workflowInsights(def, few).suggestions).toEqual([]);
  });

  it('a slow step with results that do not repeat is named as the one to speed up, a fast one is not', () => {
    const slow = Array.from({ length: 6 }, (_, i) => run(i * 60_000, { analyseMs: 5000 + i * 100, notifyMs: 100 }));
    expect(workflowInsights(def, slow).suggestions.map((s) => s.text)).toEqual(['"Analyse" is 98 % of run time (p95 5.5 s): making it faster shortens runs the most.']);
    const fast = Array.from({ length: 6 }, (_, i) => run(i * 60_000, { analyseMs: 500, notifyMs: 10 }));
    expect(workflowInsights(def, fast).suggestions).toEqual([]);
  });

  it('a failure no retry can fix is called one, and unfinished runs count but add no time', () => {
    const runs = Array.from({ length: 6 }, (_, i) => run(i * 1000, { analyseMs: 10, notifyMs: 10, notifyFailures: 1, failed: true }));
    for (const r of runs) r.steps[1]!.error = { code: 'BAD_PARAMS', message: 'no url', retryable: false };
    for (const r of runs) r.steps[1]!.failures = { BAD_PARAMS: 1 };
    const open: RunRecord = { ...run(99_000, { analyseMs: 5, notifyMs: 5 }), status: 'running', finishedAt: undefined };
    const insight = workflowInsights(def, [...runs, open]);
    expect(insight.runs.unfinished).toBe(1);
    expect(insight.successRate).toBe(0);
    expect(insight.suggestions.map((s) => s.text)).toEqual(['Step "Notify" fails 86 % of its attempts with BAD_PARAMS: another attempt will not fix it: check its parameters and the input runs get.']);
  });
});
