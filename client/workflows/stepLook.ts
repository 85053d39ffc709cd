/** How a chain node shows its step's live state: a colour and a short label. Pure. */
export interface StepView {
  status: string;
  attempt: number;
  detail: string;
}

export interface RunView {
  id: string;
  workflowId: string;
  status: string;
  updatedAt: number;
  steps: readonly ({ id: string } & StepView)[];
}

export interface Look {
  /** Background colour of the node, hex. */
  colour: string;
  /** The status line: a word, and the attempt or reason where there is one. */
  label: string;
  /** Second line: why it failed or what it waits for. */
  detail: string;
  /** Animate as in progress. */
  busy: boolean;
}

const COLOURS: Record<string, string> = {
  idle: '#59606b',
  pending: '#7a818c',
  running: '#2f6fde',
  waiting: '#c98a00',
  retrying: '#d0671f',
  succeeded: '#23884a',
  failed: '#b42318',
  skipped: '#9aa0a8',
  cancelled: '#4b4f56',
};

/** The look of a step that has no run yet (`step` undefined) or of one in a run. */
export function stepLook(step: StepView | undefined): Look {
  if (!step) return { colour: COLOURS.idle!, label: 'ready', detail: '', busy: false };
  const colour = COLOURS[step.status] ?? COLOURS.idle!;
  switch (step.status) {
    case 'running':
      return { colour, label: step.attempt > 1 ? `running · attempt ${step.attempt}` : 'running…', detail: step.detail, busy: true };
    case 'waiting':
      return { colour, label: 'waiting for input', detail: step.detail, busy: false };
    case 'retrying':
      return { colour, label: `retrying (attempt ${step.attempt} failed)`, detail: step.detail, busy: true };
    case 'failed':
      return { colour, label: 'failed', detail: step.detail || 'no reason given', busy: false };
    default:
      return { colour, label: step.status, detail: step.detail, busy: false };
  }
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** The run a chain shows: the newest unfinished one, else the newest; by last update. */
export function currentRun<R extends RunView>(runs: Iterable<R>, workflowId: string): R | undefined {
  let best: R | undefined;
  for (const r of runs) {
    if (r.workflowId !== workflowId) continue;
    if (!best) best = r;
    else {
      const active = !FINISHED.has(r.status);
      const bestActive = !FINISHED.has(best.status);
      if ((active && !bestActive) || (active === bestActive && r.updatedAt > best.updatedAt)) best = r;
    }
  }
  return best;
}

/** "2 of 3 steps done" for a run, counting succeeded and skipped steps. */
export function progressOf(run: RunView | undefined): { done: number; total: number } {
  if (!run) return { done: 0, total: 0 };
  return { done: run.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length, total: run.steps.length };
}

/** Unfinished runs first, then the rest; newest first within each. */
export function orderRuns<R extends { status: string; updatedAt: number }>(runs: readonly R[]): R[] {
  return [...runs].sort((a, b) => Number(FINISHED.has(a.status)) - Number(FINISHED.has(b.status)) || b.updatedAt - a.updatedAt);
}
