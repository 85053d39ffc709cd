/**
 * Workflows, versions and runs in the embedded LevelDB, in the same database as worlds. Indexes
 * are keys written in the same atomic batch as the record they point at.
 */
import type { ClassicLevel } from 'classic-level';
import type { RunRecord } from '../../workflows/engine/runMachine';
import { TERMINAL_RUN } from '../../workflows/engine/runMachine';
import type { WorkflowRecord, WorkflowStore, WorkflowVersion } from './WorkflowStore';

const SEP = '\x00';
const wfKey = (id: string) => `wf${SEP}${id}`;
const versionPrefix = (id: string) => `wfv${SEP}${id}${SEP}`;
// zero-padded so versions sort numerically
const versionKey = (id: string, v: number) => versionPrefix(id) + String(v).padStart(10, '0');
const runKey = (id: string) => `run${SEP}${id}`;
const runsOfPrefix = (workflowId: string) => `runwf${SEP}${workflowId}${SEP}`;
const runsOfKey = (run: RunRecord) => `${runsOfPrefix(run.workflowId)}${String(run.createdAt).padStart(15, '0')}${SEP}${run.id}`;
const unfinishedKey = (id: string) => `runopen${SEP}${id}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

type Value = WorkflowRecord | WorkflowVersion | RunRecord | string;

export class LevelWorkflowStore implements WorkflowStore {
  constructor(private readonly db: ClassicLevel<string, Value>) {}

  async listWorkflows(worldId?: string): Promise<WorkflowRecord[]> {
    const all = (await this.db.values(range(`wf${SEP}`)).all()) as WorkflowRecord[];
    return worldId === undefined ? all : all.filter((w) => w.worldId === worldId);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | undefined> {
    return (await this.db.get(wfKey(id))) as WorkflowRecord | undefined;
  }

  async saveWorkflow(workflow: WorkflowRecord, version?: WorkflowVersion): Promise<void> {
    const batch = this.db.batch().put(wfKey(workflow.id), workflow);
    if (version) batch.put(versionKey(version.workflowId, version.version), version);
    await batch.write(SYNC);
  }

  async deleteWorkflow(id: string): Promise<boolean> {
    if ((await this.getWorkflow(id)) === undefined) return false;
    const batch = this.db.batch().del(wfKey(id));
    for await (const key of this.db.keys(range(versionPrefix(id)))) batch.del(key);
    await batch.write(SYNC);
    return true;
  }

  async getVersion(workflowId: string, version: number): Promise<WorkflowVersion | undefined> {
    return (await this.db.get(versionKey(workflowId, version))) as WorkflowVersion | undefined;
  }

  async listVersions(workflowId: string): Promise<WorkflowVersion[]> {
    return (await this.db.values(range(versionPrefix(workflowId))).all()) as WorkflowVersion[];
  }

  async putRun(run: RunRecord): Promise<void> {
    const batch = this.db.batch().put(runKey(run.id), run).put(runsOfKey(run), run.id);
    if (TERMINAL_RUN.has(run.status)) batch.del(unfinishedKey(run.id));
    else batch.put(unfinishedKey(run.id), run.id);
    await batch.write(SYNC);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return (await this.db.get(runKey(id))) as RunRecord | undefined;
  }

  async listRuns(workflowId: string, limit = 100): Promise<RunRecord[]> {
    const ids = (await this.db.values({ ...range(runsOfPrefix(workflowId)), reverse: true, limit }).all()) as string[];
    return ((await this.db.getMany(ids.map(runKey))) as Array<RunRecord | undefined>).filter((r): r is RunRecord => r !== undefined);
  }

  async listUnfinishedRuns(): Promise<RunRecord[]> {
    const ids = (await this.db.values(range(`runopen${SEP}`)).all()) as string[];
    return ((await this.db.getMany(ids.map(runKey))) as Array<RunRecord | undefined>).filter((r): r is RunRecord => r !== undefined);
  }
}
