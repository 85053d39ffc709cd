/** Storage of workflow definitions, their immutable versions, and runs. */
import type { WorkflowDefinition } from '../../../shared/model/workflow';
import type { RunRecord } from '../../workflows/engine/runMachine';

export interface WorkflowRecord {
  id: string;
  /** The world the workflow stands in, if any. */
  worldId: string | null;
  /**
   * The account a workflow in no world belongs to: only it (or an administrator) may use it, and
   * its runs work where that account may. Absent on workflows in a world, and on worldless ones
   * stored before owners were kept, which only administrators may use and whose runs touch no world.
   */
  ownerId?: string | null;
  name: string;
  /** The version new runs use; rollback points it at an older one. */
  currentVersion: number;
  /** The newest version; edits must be based on it. */
  latestVersion: number;
  /** Starts runs on a cron pattern or an interval (see Scheduler); null when unscheduled. */
  schedule?: { cron?: string; everyMs?: number; input: Record<string, unknown>; priority: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersion {
  workflowId: string;
  version: number;
  /** sha256 of the canonical definition. */
  hash: string;
  definition: WorkflowDefinition;
  author: string;
  message: string;
  createdAt: string;
}

export interface WorkflowStore {
  listWorkflows(worldId?: string): Promise<WorkflowRecord[]>;
  getWorkflow(id: string): Promise<WorkflowRecord | undefined>;
  /** Stores the workflow record and, when given, a new version of it, all or nothing. */
  saveWorkflow(workflow: WorkflowRecord, version?: WorkflowVersion): Promise<void>;
  /** Deletes the workflow and its versions; its runs stay as history. */
  deleteWorkflow(id: string): Promise<boolean>;
  getVersion(workflowId: string, version: number): Promise<WorkflowVersion | undefined>;
  listVersions(workflowId: string): Promise<WorkflowVersion[]>;

  putRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Runs of a workflow, newest first. */
  listRuns(workflowId: string, limit?: number): Promise<RunRecord[]>;
  /** Every run that has not finished, for resuming after a restart. */
  listUnfinishedRuns(): Promise<RunRecord[]>;
}
