/**
 * Where a workflow loses time and why its runs fail, computed from its stored runs: runs by outcome,
 * p50/p95 of each step's time (first start to end, so retries and waits count), each step's share
 * of run time, failed attempts by error code, and suggestions drawn from those figures. Pure: the
 * route hands it the runs, so it is tested without a store.
 */
import { createHash } from 'node:crypto';
import { STEP_KIND } from '../../shared/model/stepKinds';
import type { WorkflowDefinition } from '../../shared/model/workflow';
import type { RunRecord, StepRun } from '../workflows/engine/runMachine';
import type { StepInsight, Suggestion, WorkflowInsight } from '../../shared/model/insights';

export type { StepInsight, Suggestion, WorkflowInsight };

/** Below this many attempts a failure rate says too little to suggest anything. */
const MIN_ATTEMPTS = 5;
const FAILING_SHARE = 0.2;
const DOMINANT_SHARE = 0.5;
const SLOW_QUEUE_MS = 30_000;
/** A step that takes most of a run's time is worth speeding up only if runs take this long. */
const WORTH_SPEEDING_MS = 1000;
/** Kinds whose time is mostly a person's: waiting, not working. */
const WAITS_FOR_PEOPLE = new Set<string>([STEP_KIND.APPROVAL, STEP_KIND.NEURAL_TRIGGER]);

/** The value at percentile `p` (0…1) by nearest rank; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const digest = (value: unknown) => createHash('sha1').update(JSON.stringify(value) ?? 'undefined').digest('base64');
const spanOf = (s: StepRun) => (s.finishedAt !== undefined && (s.firstStartedAt ?? s.startedAt) !== undefined ? s.finishedAt - (s.firstStartedAt ?? s.startedAt)! : null);
const pct = (share: number) => `${Math.round(share * 100)} %`;
const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** Insights over `runs` (any order) of a workflow whose current definition is `def`. */
export function workflowInsights(def: WorkflowDefinition, runs: readonly RunRecord[]): WorkflowInsight {
  const finished = runs.filter((r) => r.finishedAt !== undefined);
  const count = (status: string) => runs.filter((r) => r.status === status).length;
  const succeeded = count('succeeded');
  const failed = count('failed');
  const cancelled = count('cancelled');
  const durations = finished.map((r) => r.finishedAt! - r.createdAt).sort((a, b) => a - b);
  const totalRunTime = durations.reduce((a, b) => a + b, 0);
  const queued = runs.flatMap((r) => {
    const first = Math.min(...r.steps.map((s) => s.firstStartedAt ?? s.startedAt ?? Infinity));
    return Number.isFinite(first) ? [first - r.createdAt] : [];
  });
  queued.sort((a, b) => a - b);

  const steps = def.steps.map((spec, index): StepInsight => {
    const spans: number[] = [];
    const codes = new Map<string, number>();
    const seen = new Set<string>();
    let attempts = 0;
    let failedAttempts = 0;
    let failedRuns = 0;
    let timeInFinished = 0;
    let repeats = 0;
    let results = 0;
    for (const run of runs) {
      // a run of an older version may have other steps: match by id, not by position
      const s = run.steps[index]?.stepId === spec.id ? run.steps[index]! : run.steps.find((x) => x.stepId === spec.id);
      if (!s) continue;
      attempts += s.attempt;
      for (const [code, n] of Object.entries(s.failures ?? {})) {
        codes.set(code, (codes.get(code) ?? 0) + n);
        failedAttempts += n;
      }
      if (s.status === 'failed') failedRuns++;
      const span = spanOf(s);
      if (span !== null && (s.status === 'succeeded' || s.status === 'failed')) {
        spans.push(span);
        if (run.finishedAt !== undefined) timeInFinished += span;
      }
      if (s.status === 'succeeded') {
        results++;
        const key = `${digest(run.input)}:${digest(s.output)}`;
        if (seen.has(key)) repeats++;
        else seen.add(key);
      }
    }
    spans.sort((a, b) => a - b);
    return {
      stepId: spec.id,
      name: spec.name,
      kind: spec.kind,
      attempts,
      failedAttempts,
      failedRuns,
      p50Ms: percentile(spans, 0.5),
      p95Ms: percentile(spans, 0.95),
      shareOfTime: totalRunTime > 0 ? Math.min(1, timeInFinished / totalRunTime) : 0,
      failureCodes: [...codes].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
      repeats,
      results,
    };
  });

  const insight: WorkflowInsight = {
    runs: { total: runs.length, succeeded, failed, cancelled, unfinished: runs.length - finished.length },
    successRate: finished.length ? succeeded / finished.length : null,
    durationMs: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) },
    queueMs: { p50: percentile(queued, 0.5), p95: percentile(queued, 0.95) },
    steps,
    failureReasons: failureReasons(def, runs),
    suggestions: [],
  };
  insight.suggestions = suggest(insight, runs);
  return insight;
}

function failureReasons(def: WorkflowDefinition, runs: readonly RunRecord[]): WorkflowInsight['failureReasons'] {
  const byReason = new Map<string, WorkflowInsight['failureReasons'][number] & { at: number }>();
  for (const run of runs) {
    if (run.status !== 'failed') continue;
    const s = run.steps.find((x) => x.status === 'failed' && x.error);
    if (!s) continue;
    const key = `${s.stepId}\u0000${s.error!.code}`;
    const at = run.finishedAt ?? run.updatedAt;
    const known = byReason.get(key);
    if (known) {
      known.count++;
      if (at >= known.at) Object.assign(known, { at, message: s.error!.message });
    } else {
      const name = def.steps.find((x) => x.id === s.stepId)?.name ?? s.stepId;
      byReason.set(key, { stepId: s.stepId, name, code: s.error!.code, count: 1, message: s.error!.message, at });
    }
  }
  return [...byReason.values()]
    .sort((a, b) => b.count - a.count || b.at - a.at)
    .slice(0, 5)
    .map(({ at: _at, ...reason }) => reason);
}

/** Whether the latest failure of `code` in `stepId` was one another attempt might fix. */
function retryable(runs: readonly RunRecord[], stepId: string, code: string): boolean | null {
  let latest: { at: number; retryable: boolean } | null = null;
  for (const run of runs) {
    const s = run.steps.find((x) => x.stepId === stepId);
    if (s?.error?.code === code && (!latest || run.updatedAt > latest.at)) latest = { at: run.updatedAt, retryable: s.error.retryable };
  }
  return latest?.retryable ?? null;
}

function suggest(insight: WorkflowInsight, runs: readonly RunRecord[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const step of insight.steps) {
    const top = step.failureCodes[0];
    if (top && step.attempts >= MIN_ATTEMPTS && step.failedAttempts / step.attempts >= FAILING_SHARE) {
      const share = pct(step.failedAttempts / step.attempts);
      const advice =
        retryable(runs, step.stepId, top.code) === false
          ? 'another attempt will not fix it: check its parameters and the input runs get'
          : step.kind === STEP_KIND.WEBHOOK
            ? 'raise its retries or check the receiver'
            : 'raise its retries or check the service it calls';
      out.push({ stepId: step.stepId, severity: 'warning', text: `Step "${step.name}" fails ${share} of its attempts with ${top.code}: ${advice}.` });
    }
    if (insight.steps.length > 1 && step.shareOfTime > DOMINANT_SHARE) {
      const lead = `"${step.name}" is ${pct(step.shareOfTime)} of run time`;
      if (step.repeats > 0) {
        out.push({ stepId: step.stepId, severity: 'info', text: `${lead}: ${step.repeats} of its ${step.results} results repeat an earlier one for the same input — caching would save ${step.repeats} calls.` });
      } else if (WAITS_FOR_PEOPLE.has(step.kind)) {
        out.push({ stepId: step.stepId, severity: 'info', text: `${lead}, mostly waiting for a person (p50 ${seconds(step.p50Ms ?? 0)}): remind who answers it, or let more people answer.` });
      } else if ((step.p95Ms ?? 0) >= WORTH_SPEEDING_MS) {
        out.push({ stepId: step.stepId, severity: 'info', text: `${lead} (p95 ${seconds(step.p95Ms ?? 0)}): making it faster shortens runs the most.` });
      }
    }
  }
  if (insight.queueMs.p95 !== null && insight.queueMs.p95 >= SLOW_QUEUE_MS) {
    out.push({ stepId: null, severity: 'warning', text: `Runs wait ${seconds(insight.queueMs.p95)} (p95) before their first step: the server runs others first; give this workflow a higher priority or raise WORKFLOW_CONCURRENCY.` });
  }
  return out;
}
