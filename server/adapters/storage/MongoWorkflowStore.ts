/** Workflows, versions and runs in MongoDB, beside worlds and documents. */
import type { Collection, Db } from 'mongodb';
import type { RunRecord } from '../../workflows/engine/runMachine';
import { TERMINAL_RUN } from '../../workflows/engine/runMachine';
import type { WorkflowRecord, WorkflowStore, WorkflowVersion } from './WorkflowStore';

type WithId<T> = T & { _id: string };
const strip = <T>(doc: WithId<T> | null): T | undefined => {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return rest as unknown as T;
};

export class MongoWorkflowStore implements WorkflowStore {
  private workflows!: Collection<WithId<WorkflowRecord>>;
  private versions!: Collection<WithId<WorkflowVersion>>;
  private runs!: Collection<WithId<RunRecord> & { open: boolean }>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    const db = this.db();
    this.workflows = db.collection('workflows');
    this.versions = db.collection('workflow_versions');
    this.runs = db.collection('runs');
    await Promise.all([
      this.workflows.createIndex({ worldId: 1 }),
      this.versions.createIndex({ workflowId: 1, version: 1 }, { unique: true }),
      this.runs.createIndex({ workflowId: 1, createdAt: -1 }),
      this.runs.createIndex({ open: 1 }),
    ]);
  }

  async listWorkflows(worldId?: string): Promise<WorkflowRecord[]> {
    const found = await this.workflows.find(worldId === undefined ? {} : { worldId }).toArray();
    return found.map((w) => strip<WorkflowRecord>(w)!);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | undefined> {
    return strip<WorkflowRecord>(await this.workflows.findOne({ _id: id }));
  }

  async saveWorkflow(workflow: WorkflowRecord, version?: WorkflowVersion): Promise<void> {
    // the version goes in first: a workflow record never points at a version that is not stored
    if (version) await this.versions.insertOne({ ...version, _id: `${version.workflowId}:${version.version}` });
    await this.workflows.replaceOne({ _id: workflow.id }, { ...workflow }, { upsert: true });
  }

  async deleteWorkflow(id: string): Promise<boolean> {
    const res = await this.workflows.deleteOne({ _id: id });
    await this.versions.deleteMany({ workflowId: id });
    return res.deletedCount === 1;
  }

  async getVersion(workflowId: string, version: number): Promise<WorkflowVersion | undefined> {
    return strip<WorkflowVersion>(await this.versions.findOne({ _id: `${workflowId}:${version}` }));
  }

  async listVersions(workflowId: string): Promise<WorkflowVersion[]> {
    return (await this.versions.find({ workflowId }).sort({ version: 1 }).toArray()).map((v) => strip<WorkflowVersion>(v)!);
  }

  async putRun(run: RunRecord): Promise<void> {
    await this.runs.replaceOne({ _id: run.id }, { ...run, open: !TERMINAL_RUN.has(run.status) }, { upsert: true });
  }

  private toRun(doc: (WithId<RunRecord> & { open: boolean }) | null): RunRecord | undefined {
    if (!doc) return undefined;
    const { _id, open: _open, ...run } = doc;
    return run as RunRecord;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.toRun(await this.runs.findOne({ _id: id }));
  }

  async listRuns(workflowId: string, limit = 100): Promise<RunRecord[]> {
    return (await this.runs.find({ workflowId }).sort({ createdAt: -1 }).limit(limit).toArray()).map((r) => this.toRun(r)!);
  }

  async listUnfinishedRuns(): Promise<RunRecord[]> {
    return (await this.runs.find({ open: true }).toArray()).map((r) => this.toRun(r)!);
  }
}
