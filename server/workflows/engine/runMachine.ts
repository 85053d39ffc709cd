/**
 * The state machine of one workflow run, as pure functions over plain records: what to do next,
 * and how each outcome changes the run. The engine persists every new run state before it acts
 * on it, so a crash at any point resumes from the last persisted state.
 */
import type { WaitingFor } from '../../../shared/model/runs';
import { conditionHolds, PRIORITY_RANK, RunStatus, StepStatus, type Priority, type RetryPolicy, type WorkflowDefinition } from '../../../shared/model/workflow';

export interface StepError {
  code: string;
  message: string;
  /** False for failures that another attempt cannot fix (bad parameters, a rejection). */
  retryable: boolean;
}

export interface StepRun {
  stepId: string;
  status: StepStatus;
  attempt: number;
  /** When a retrying step may next run (ms since epoch). */
  nextAttemptAt?: number;
  /** When a step that parked itself (a delay) is to run again; it holds no execution slot until then. */
  wakeAt?: number;
  /** What a waiting (or parked) step waits for, as the step said; cleared when it runs again. */
  waitingFor?: WaitingFor;
  startedAt?: number;
  /** When its first attempt started: the step's share of a run's time counts retries and waits. */
  firstStartedAt?: number;
  finishedAt?: number;
  output?: unknown;
  error?: StepError;
  /** Failed attempts by error code (at most MAX_FAILURE_CODES codes), kept after a later attempt succeeds. */
  failures?: Record<string, number>;
}

/** One line of a run's history, shown per step in the API and the world. */
export interface RunLogEntry {
  at: number;
  stepId: string | null;
  message: string;
}

/** The most log lines a run keeps; older ones are dropped first. */
export const MAX_LOG = 200;
/** The most distinct error codes a step counts its failures by; more are counted as OTHER. */
export const MAX_FAILURE_CODES = 8;

export interface RunRecord {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  priority: Priority;
  input: Record<string, unknown>;
  steps: StepRun[];
  /** Answers delivered to waiting steps (approvals, neural commands), by step id. */
  signals: Record<string, unknown>;
  cancelRequested: boolean;
  log: RunLogEntry[];
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
}

export type NextAction =
  | { type: 'execute'; index: number }
  | { type: 'sleep'; until: number }
  | { type: 'wait'; index: number }
  | { type: 'finished' };

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 60_000, factor: 2, jitter: 0.2 };

const TERMINAL_STEP = new Set<StepStatus>([StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.CANCELLED]);
export const TERMINAL_RUN = new Set<RunStatus>([RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED]);

export function newRun(id: string, workflowId: string, version: number, def: WorkflowDefinition, input: Record<string, unknown>, priority: Priority, now: number): RunRecord {
  return {
    id,
    workflowId,
    version,
    status: RunStatus.QUEUED,
    priority,
    input,
    steps: def.steps.map((s) => ({ stepId: s.id, status: StepStatus.PENDING, attempt: 0 })),
    signals: {},
    cancelRequested: false,
    log: [{ at: now, stepId: null, message: `queued (version ${version}, ${priority} priority)` }],
    createdAt: now,
    updatedAt: now,
  };
}

/** Appends a line to the run's log, keeping only the newest MAX_LOG lines. */
export function logLine(run: RunRecord, stepId: string | null, message: string, now: number): RunRecord {
  const log = [...run.log, { at: now, stepId, message }];
  return { ...run, log: log.length > MAX_LOG ? log.slice(log.length - MAX_LOG) : log };
}

/** The key a step's side effects are deduplicated by: the same for every attempt and every resume. */
export const idempotencyKey = (run: Pick<RunRecord, 'id'>, stepId: string) => `${run.id}/${stepId}`;

/** Outputs of the steps that have succeeded so far, by step id. */
export function outputsOf(run: RunRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of run.steps) if (s.status === StepStatus.SUCCEEDED) out[s.stepId] = s.output;
  return out;
}

/** Delay before attempt `attempt + 1` after `attempt` failed; `random` in [0, 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (random * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

function withStep(run: RunRecord, index: number, change: Partial<StepRun>, now: number, runChange: Partial<RunRecord> = {}): RunRecord {
  const steps = run.steps.map((s, i) => (i === index ? { ...s, ...change } : s));
  return { ...run, ...runChange, steps, updatedAt: now };
}

/**
 * Decides what the run needs next. Skips steps whose condition does not hold (returning the run
 * with them marked skipped) and finishes the run when no step is left.
 */
export function plan(run: RunRecord, def: WorkflowDefinition, now: number): { run: RunRecord; action: NextAction } {
  if (TERMINAL_RUN.has(run.status)) return { run, action: { type: 'finished' } };
  if (run.cancelRequested) return { run: cancelNow(run, now), action: { type: 'finished' } };
  let current = run;
  for (let i = 0; i < current.steps.length; i++) {
    const step = current.steps[i]!;
    if (TERMINAL_STEP.has(step.status)) continue;
    const spec = def.steps[i]!;
    if (step.status === StepStatus.PENDING && spec.when && !conditionHolds(spec.when, outputsOf(current))) {
      current = withStep(current, i, { status: StepStatus.SKIPPED, finishedAt: now }, now);
      continue;
    }
    if (step.status === StepStatus.RETRYING && (step.nextAttemptAt ?? 0) > now) {
      return { run: current, action: { type: 'sleep', until: step.nextAttemptAt! } };
    }
    if (step.status === StepStatus.RUNNING && step.wakeAt !== undefined && step.wakeAt > now) {
      return { run: current, action: { type: 'sleep', until: step.wakeAt } };
    }
    if (step.status === StepStatus.WAITING && !(step.stepId in current.signals)) {
      return { run: { ...current, status: RunStatus.WAITING }, action: { type: 'wait', index: i } };
    }
    // pending, due for a retry, interrupted while running, or waiting with its answer in: run it
    return { run: current, action: { type: 'execute', index: i } };
  }
  return { run: { ...current, status: RunStatus.SUCCEEDED, finishedAt: now, updatedAt: now }, action: { type: 'finished' } };
}

/** Marks a step as started; persisted before the step's code runs. A resumed step keeps its attempt. */
export function begin(run: RunRecord, index: number, now: number): RunRecord {
  const step = run.steps[index]!;
  const resumed = step.status === StepStatus.RUNNING || step.status === StepStatus.WAITING;
  return withStep(run, index, { status: StepStatus.RUNNING, attempt: resumed ? Math.max(1, step.attempt) : step.attempt + 1, startedAt: now, firstStartedAt: step.firstStartedAt ?? now, nextAttemptAt: undefined, waitingFor: undefined }, now, {
    status: RunStatus.RUNNING,
  });
}

export function succeed(run: RunRecord, index: number, output: unknown, now: number): RunRecord {
  return withStep(run, index, { status: StepStatus.SUCCEEDED, output, error: undefined, finishedAt: now }, now);
}

/**
 * The step asked to run again at `wakeAt` (a delay). It stays running for whoever watches, but the
 * time is stored, so the run gives up its execution slot and a restart resumes at that time.
 */
export function park(run: RunRecord, index: number, wakeAt: number, now: number): RunRecord {
  return withStep(run, index, { status: StepStatus.RUNNING, wakeAt, waitingFor: { kind: 'delay', until: wakeAt } }, now, { status: RunStatus.RUNNING });
}

/** The step is waiting for an answer (an approval, a participant's command). */
export function wait(run: RunRecord, index: number, waitingFor: WaitingFor, now: number): RunRecord {
  return withStep(run, index, { status: StepStatus.WAITING, waitingFor }, now, { status: RunStatus.WAITING });
}

/** Records a failure: schedules another attempt when the policy allows, else fails the run. */
export function fail(run: RunRecord, index: number, error: StepError, policy: RetryPolicy, now: number, random: number): RunRecord {
  const step = run.steps[index]!;
  const failures = countFailure(step.failures, error.code);
  if (error.retryable && step.attempt < policy.maxAttempts && !run.cancelRequested) {
    const nextAttemptAt = now + backoffDelay(policy, step.attempt, random);
    return withStep(run, index, { status: StepStatus.RETRYING, error, failures, nextAttemptAt }, now, { status: RunStatus.RUNNING });
  }
  const failed = withStep(run, index, { status: StepStatus.FAILED, error, failures, finishedAt: now }, now, { status: RunStatus.FAILED, finishedAt: now });
  return { ...failed, steps: failed.steps.map((s) => (TERMINAL_STEP.has(s.status) ? s : { ...s, status: StepStatus.CANCELLED })) };
}

function countFailure(failures: Record<string, number> = {}, code: string): Record<string, number> {
  const key = Object.hasOwn(failures, code) || Object.keys(failures).length < MAX_FAILURE_CODES - 1 ? code : 'OTHER';
  return { ...failures, [key]: (failures[key] ?? 0) + 1 };
}

export function requestCancel(run: RunRecord, now: number): RunRecord {
  if (TERMINAL_RUN.has(run.status)) return run;
  return { ...run, cancelRequested: true, updatedAt: now };
}

function cancelNow(run: RunRecord, now: number): RunRecord {
  return {
    ...run,
    status: RunStatus.CANCELLED,
    finishedAt: now,
    updatedAt: now,
    steps: run.steps.map((s) => (TERMINAL_STEP.has(s.status) ? s : { ...s, status: StepStatus.CANCELLED, finishedAt: now })),
  };
}

/** Delivers an answer to a step; only a step that is waiting (or about to) can take one. */
export function deliverSignal(run: RunRecord, stepId: string, payload: unknown, now: number): RunRecord | undefined {
  const step = run.steps.find((s) => s.stepId === stepId);
  if (!step || TERMINAL_STEP.has(step.status) || TERMINAL_RUN.has(run.status) || stepId in run.signals) return undefined;
  return { ...run, signals: { ...run.signals, [stepId]: payload }, updatedAt: now };
}

/** Queue order: higher priority first, then first come first served. */
export function queueOrder(a: Pick<RunRecord, 'priority' | 'createdAt' | 'id'>, b: Pick<RunRecord, 'priority' | 'createdAt' | 'id'>): number {
  return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.createdAt - b.createdAt || a.id.localeCompare(b.id);
}
