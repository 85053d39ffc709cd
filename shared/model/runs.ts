/**
 * What a world shows of a workflow run: a small summary of the engine's record (no log, no inputs,
 * no outputs beyond the document a step made), made by one pure function so the room, the API and
 * the tests agree on it. Its progress reaches a world's state as a `runProgress` effect.
 */

/** What a waiting step waits for, as the step said it when it stopped. */
export type WaitingFor =
  | { kind: 'approval'; prompt: string }
  | { kind: 'neural'; prompt: string; participant?: string; role?: 'editor' | 'owner'; commands: string[]; minConfidence: number }
  | { kind: 'delay'; until: number }
  | { kind: 'device'; prompt: string };

export type WaitingKind = WaitingFor['kind'];

/** The parts of an engine run record a summary is made from. */
export interface RunSource {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  priority: string;
  input: Record<string, unknown>;
  updatedAt: number;
  steps: ReadonlyArray<{
    stepId: string;
    status: string;
    attempt: number;
    nextAttemptAt?: number;
    waitingFor?: WaitingFor;
    output?: unknown;
    error?: { code: string; message: string };
  }>;
}

export interface RunStepSummary {
  id: string;
  status: string;
  attempt: number;
  waitingFor?: WaitingFor;
  /** Short text for people: why it failed, what it waits for, when it retries. */
  detail?: string;
  /** A document the step made (a result panel), if any. */
  documentId?: string;
  error?: { code: string; message: string };
}

export interface RunSummary {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  priority: string;
  /** The document the run was started on ('' when none). */
  documentId: string;
  updatedAt: number;
  steps: RunStepSummary[];
}

/** The most characters of a step's detail or error message a summary carries. */
export const DETAIL_CHARS = 200;

/** What a step waits for, in words, for the chain node and the run list. */
export function describeWaiting(w: WaitingFor): string {
  switch (w.kind) {
    case 'approval':
      return w.prompt;
    case 'neural': {
      const who = w.participant ?? (w.role === 'owner' ? 'an owner' : 'anyone');
      return `${w.prompt} (${who}: ${w.commands.join(' / ')}, confidence ≥ ${w.minConfidence})`;
    }
    case 'delay':
      return `waiting until ${new Date(w.until).toISOString()}`;
    case 'device':
      return w.prompt;
    default: {
      const unreachable: never = w;
      return `waiting for ${JSON.stringify(unreachable)}`;
    }
  }
}

// a delay parks its step as running; an answer-awaiting step is waiting
const WAITS_IN = new Set(['waiting', 'running']);

function fallbackDetail(step: RunSource['steps'][number]): string {
  if (step.status === 'waiting') return 'waiting';
  if (step.status === 'retrying' && step.nextAttemptAt) return `retrying at ${new Date(step.nextAttemptAt).toISOString()}`;
  return '';
}

function stepSummary(step: RunSource['steps'][number]): RunStepSummary {
  const s: RunStepSummary = { id: step.stepId, status: step.status, attempt: step.attempt };
  const waitingFor = WAITS_IN.has(step.status) ? step.waitingFor : undefined;
  if (waitingFor) s.waitingFor = waitingFor;
  if (step.error) s.error = { code: step.error.code, message: step.error.message.slice(0, DETAIL_CHARS) };
  const detail = s.error?.message ?? (waitingFor ? describeWaiting(waitingFor) : fallbackDetail(step));
  if (detail) s.detail = detail.slice(0, DETAIL_CHARS);
  const made = (step.output as { documentId?: unknown } | undefined)?.documentId;
  if (typeof made === 'string') s.documentId = made;
  return s;
}

/** The summary of a run that a world shows. Pure. */
export function runSummary(run: RunSource): RunSummary {
  return {
    id: run.id,
    workflowId: run.workflowId,
    version: run.version,
    status: run.status,
    priority: run.priority,
    documentId: typeof run.input.documentId === 'string' ? run.input.documentId : '',
    updatedAt: run.updatedAt,
    steps: run.steps.map(stepSummary),
  };
}
