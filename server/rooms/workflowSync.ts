/** Mirrors a world's workflows and their recent runs into the room state, for the 3D chains. */
import type { WorkflowRecord, WorkflowVersion } from '../adapters/storage/WorkflowStore';
import type { RunSummary } from '../../shared/model/runs';
import { ChainStepState, RunState, RunStepState, WorkflowState, type WorldState } from '../../shared/schema/WorldState';

/** Runs kept in the state per world; older finished ones drop out (the API keeps them all). */
export const RECENT_RUNS = 20;

export function setWorkflow(state: WorldState, workflow: WorkflowRecord, current: WorkflowVersion): void {
  const w = new WorkflowState();
  w.id = workflow.id;
  w.name = workflow.name;
  w.version = current.version;
  w.latestVersion = workflow.latestVersion;
  for (const step of current.definition.steps) {
    const s = new ChainStepState();
    s.id = step.id;
    s.kind = step.kind;
    s.name = step.name;
    w.steps.push(s);
  }
  state.workflows.set(workflow.id, w);
}

/** Shows a run's progress: the run is added when new, its steps follow the summary. */
export function setRun(state: WorldState, run: RunSummary): void {
  let r = state.runs.get(run.id);
  if (!r) {
    r = new RunState();
    r.id = run.id;
    r.workflowId = run.workflowId;
    r.version = run.version;
    r.priority = run.priority;
    r.documentId = run.documentId;
    for (const step of run.steps) {
      const s = new RunStepState();
      s.id = step.id;
      r.steps.push(s);
    }
    state.runs.set(run.id, r);
  } else if (run.updatedAt < r.updatedAt) {
    // an older summary arriving late (one read while an event was on its way) changes nothing
    return;
  }
  r.status = run.status;
  r.updatedAt = run.updatedAt;
  run.steps.forEach((step, i) => {
    const s = r.steps[i];
    if (!s) return;
    s.status = step.status;
    s.attempt = Math.min(255, step.attempt);
    s.detail = step.detail ?? '';
    s.waitingFor = step.waitingFor?.kind ?? '';
    s.documentId = step.documentId ?? '';
  });
  prune(state);
}

function prune(state: WorldState): void {
  if (state.runs.size <= RECENT_RUNS) return;
  const finished = [...state.runs.values()].filter((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status)).sort((a, b) => a.updatedAt - b.updatedAt);
  for (const r of finished.slice(0, state.runs.size - RECENT_RUNS)) state.runs.delete(r.id);
}
