/**
 * Counts workflow runs and steps for the metrics, from what the engine announces: each step's
 * attempt as it ends, and each run as it reaches its end (once, however often it is persisted
 * after). Runs still going are remembered by id only until they finish.
 */
import { RunStatus } from '../../shared/model/workflow';
import type { RunEngine } from '../workflows/engine/Engine';
import type { Metrics } from './Metrics';

const ENDS = new Set<string>([RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED]);

export function watchWorkflows(engine: Pick<RunEngine, 'onRun' | 'onStep'>, metrics: Metrics): () => void {
  const going = new Set<string>();
  const stopSteps = engine.onStep((e) => metrics.stepEnded(e));
  const stopRuns = engine.onRun((run) => {
    if (!ENDS.has(run.status)) {
      going.add(run.id);
      return;
    }
    // a run seen only finished was finished before this server started watching (or is persisted again)
    if (!going.delete(run.id)) return;
    metrics.runFinished(run.status as 'succeeded' | 'failed' | 'cancelled', ((run.finishedAt ?? run.updatedAt) - run.createdAt) / 1000);
  });
  return () => {
    stopSteps();
    stopRuns();
  };
}
