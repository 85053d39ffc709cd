/**
 * Workflow definitions and their versions: create (blank or from a template), edit (a new
 * immutable version, refused when based on a stale one), rollback, delete, and starting runs
 * pinned to the current version.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode, describeIssues } from '../../shared/protocol';
import { PRIORITIES, WorkflowDefinition } from '../../shared/model/workflow';
import type { WorkflowRecord, WorkflowStore, WorkflowVersion } from '../adapters/storage/WorkflowStore';
import { AppError } from '../errors';
import { newId } from '../worlds';
import { serial } from '../serial';
import type { RunEngine } from './engine/Engine';
import type { RunRecord } from './engine/runMachine';
import { WORKFLOW_TEMPLATES } from './templates';
import { Schedule, nextFire, shortestGap, type Scheduler } from './Scheduler';
import { boundedJsonObject } from './boundedJson';
import { keepSecrets, maskVersion } from './secrets';
import type { WorldEventBus } from '../rooms/worldEvents';
import type { StepRegistry } from './steps';

export const CreateWorkflowInput = z.strictObject({
  worldId: z.string().min(1).max(64).nullable().default(null),
  template: z.string().max(64).optional(),
  definition: z.unknown().optional(),
  message: z.string().max(500).default('created'),
});

export const UpdateWorkflowInput = z.strictObject({
  baseVersion: z.number().int().min(1),
  definition: z.unknown(),
  message: z.string().max(500).default(''),
});

/** What a start-run request may ask for; `bulkMax` is the most runs one request may start. */
export const startRunInput = (bulkMax: number) =>
  z.strictObject({
    input: boundedJsonObject().default({}),
    /** One run per entry: a bulk run of the workflow over many inputs (e.g. documents). */
    inputs: z.array(boundedJsonObject()).min(1).max(bulkMax, `at most ${bulkMax} inputs in one request; split the bulk run`).optional(),
    priority: z.enum(PRIORITIES).default('normal'),
  });

/** Quotas a WorkflowService applies (see config.ts for their settings). */
export interface WorkflowServiceLimits {
  bulkMax: number;
  minIntervalMs: number;
}

/** A stable hash of a definition: keys sorted, so equal definitions hash equal. */
export function definitionHash(def: WorkflowDefinition): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(def))).digest('hex');
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function bad(message: string): AppError {
  return new AppError(ErrorCode.BAD_REQUEST, message, 400);
}

/** A definition with its masked secrets put back from `stored`; refused when one has nothing to keep. */
function unmasked(def: WorkflowDefinition, stored: WorkflowDefinition | undefined): WorkflowDefinition {
  const kept = keepSecrets(def, stored);
  if (!kept.ok) throw bad(kept.message);
  return kept.definition;
}

export class WorkflowService {
  /** Edits of workflows take turns, so two edits based on one version cannot both win. */
  private readonly exclusive = serial();
  private readonly startInput: ReturnType<typeof startRunInput>;

  constructor(
    private readonly store: WorkflowStore,
    private readonly registry: StepRegistry,
    private readonly engine: RunEngine,
    private readonly scheduler?: Pick<Scheduler, 'set'>,
    private readonly events?: WorldEventBus,
    private readonly limits: WorkflowServiceLimits = { bulkMax: 100, minIntervalMs: 60_000 },
  ) {
    this.startInput = startRunInput(limits.bulkMax);
  }

  /** Tells the workflow's world (if it stands in one) that it changed. */
  private announce(workflow: Pick<WorkflowRecord, 'id' | 'worldId'>): void {
    if (workflow.worldId) this.events?.publish(workflow.worldId, { type: 'workflowChanged', workflowId: workflow.id });
  }

  /** Puts every stored schedule in force; called once at start. */
  async startSchedules(): Promise<number> {
    const scheduled = (await this.store.listWorkflows()).filter((w) => w.schedule);
    for (const w of scheduled) this.scheduler?.set(w);
    return scheduled.length;
  }

  /** Sets or clears (null) a workflow's schedule; answers when it will next run. */
  async setSchedule(id: string, raw: unknown): Promise<{ workflow: WorkflowRecord; nextRunAt: string | null }> {
    let schedule: Schedule | null = null;
    if (raw !== null) {
      const parsed = Schedule.safeParse(raw);
      if (!parsed.success) throw bad(`Cannot set the schedule: ${describeIssues(parsed.error)}`);
      schedule = parsed.data;
      const gap = shortestGap(schedule);
      if (gap < this.limits.minIntervalMs) {
        throw bad(`This schedule would start runs ${seconds(gap)} apart; this server allows at most one run every ${seconds(this.limits.minIntervalMs)} per schedule.`);
      }
    }
    return this.exclusive(async () => {
      const { workflow } = await this.get(id);
      const updated = { ...workflow, schedule, updatedAt: new Date().toISOString() };
      await this.store.saveWorkflow(updated);
      this.scheduler?.set(updated);
      return { workflow: updated, nextRunAt: schedule ? (nextFire(schedule, new Date())?.toISOString() ?? null) : null };
    });
  }

  /** Parses a definition and checks every step's parameters against its kind. */
  validate(raw: unknown): WorkflowDefinition {
    const parsed = WorkflowDefinition.safeParse(raw);
    if (!parsed.success) throw bad(`The workflow is not valid: ${describeIssues(parsed.error)}`);
    const steps = parsed.data.steps.map((step, i) => {
      const check = this.registry.check(step.kind, step.params);
      if (!check.ok) throw bad(`Step ${i + 1} ("${step.name}") is not valid: ${check.message}`);
      return { ...step, params: check.params as Record<string, unknown> };
    });
    return { ...parsed.data, steps };
  }

  async get(id: string): Promise<{ workflow: WorkflowRecord; current: WorkflowVersion }> {
    const workflow = await this.store.getWorkflow(id);
    if (!workflow) throw new AppError(ErrorCode.NOT_FOUND, `There is no workflow "${id.slice(0, 64)}".`, 404);
    const current = await this.store.getVersion(id, workflow.currentVersion);
    if (!current) throw new AppError(ErrorCode.INTERNAL, `Version ${workflow.currentVersion} of this workflow is missing.`, 500);
    return { workflow, current };
  }

  /** The workflow as it is shown: its secrets masked. */
  async view(id: string): Promise<{ workflow: WorkflowRecord; current: WorkflowVersion }> {
    const { workflow, current } = await this.get(id);
    return { workflow, current: maskVersion(current) };
  }

  list(worldId?: string) {
    return this.store.listWorkflows(worldId);
  }

  /** `ownerId`: the signed-in account making it (null for a guest), whose alone it is when it stands in no world. */
  async create(raw: unknown, author: string, ownerId: string | null): Promise<{ workflow: WorkflowRecord; current: WorkflowVersion }> {
    const input = CreateWorkflowInput.safeParse(raw);
    if (!input.success) throw bad(`Cannot create the workflow: ${describeIssues(input.error)}`);
    if (input.data.worldId === null && !ownerId) {
      throw new AppError(ErrorCode.UNAUTHORIZED, 'A workflow outside any world belongs to an account: sign in, or make it in a world ("worldId").', 401);
    }
    let source = input.data.definition;
    if (input.data.template !== undefined) {
      const template = WORKFLOW_TEMPLATES.find((t) => t.id === input.data.template);
      if (!template) throw bad(`There is no template "${input.data.template}" (known: ${WORKFLOW_TEMPLATES.map((t) => t.id).join(', ')}).`);
      source = structuredClone(template.definition);
    }
    if (source === undefined) throw bad('Give the workflow a definition or a template.');
    const definition = unmasked(this.validate(source), undefined);
    const now = new Date().toISOString();
    const owner = input.data.worldId === null ? { ownerId } : {};
    const workflow: WorkflowRecord = { id: newId(), worldId: input.data.worldId, ...owner, name: definition.name, currentVersion: 1, latestVersion: 1, createdAt: now, updatedAt: now };
    const version: WorkflowVersion = { workflowId: workflow.id, version: 1, hash: definitionHash(definition), definition, author, message: input.data.message, createdAt: now };
    await this.store.saveWorkflow(workflow, version);
    this.announce(workflow);
    return { workflow, current: maskVersion(version) };
  }

  /** Saves an edit as a new version; refuses one made against a version that is no longer the newest. */
  async update(id: string, raw: unknown, author: string): Promise<{ workflow: WorkflowRecord; current: WorkflowVersion }> {
    const input = UpdateWorkflowInput.safeParse(raw);
    if (!input.success) throw bad(`Cannot save the workflow: ${describeIssues(input.error)}`);
    const edited = this.validate(input.data.definition);
    return this.exclusive(async () => {
      const { workflow, current } = await this.get(id);
      if (input.data.baseVersion !== workflow.latestVersion) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `This workflow was changed to version ${workflow.latestVersion} while you edited version ${input.data.baseVersion}. Your draft was not saved and is kept; load version ${workflow.latestVersion}, re-apply your change and save again.`,
          409,
        );
      }
      // secrets sent back masked are kept from the version shown (the newest, when that lacks them)
      const kept = keepSecrets(edited, current.definition);
      const definition = kept.ok ? kept.definition : unmasked(edited, (await this.store.getVersion(id, workflow.latestVersion))?.definition);
      const hash = definitionHash(definition);
      if (hash === current.hash && workflow.currentVersion === workflow.latestVersion) return { workflow, current: maskVersion(current) };
      const now = new Date().toISOString();
      const n = workflow.latestVersion + 1;
      const version: WorkflowVersion = { workflowId: id, version: n, hash, definition, author, message: input.data.message, createdAt: now };
      const updated = { ...workflow, name: definition.name, currentVersion: n, latestVersion: n, updatedAt: now };
      await this.store.saveWorkflow(updated, version);
      this.announce(updated);
      return { workflow: updated, current: maskVersion(version) };
    });
  }

  /** Makes an older version current again; new runs use it, runs already started keep theirs. */
  async rollback(id: string, version: unknown): Promise<{ workflow: WorkflowRecord; current: WorkflowVersion }> {
    const v = z.number().int().min(1).safeParse(version);
    if (!v.success) throw bad('Say which version to roll back to: { "version": n }.');
    return this.exclusive(async () => {
      const { workflow } = await this.get(id);
      const target = await this.store.getVersion(id, v.data);
      if (!target) throw new AppError(ErrorCode.NOT_FOUND, `This workflow has no version ${v.data}.`, 404);
      const updated = { ...workflow, name: target.definition.name, currentVersion: v.data, updatedAt: new Date().toISOString() };
      await this.store.saveWorkflow(updated);
      this.announce(updated);
      return { workflow: updated, current: maskVersion(target) };
    });
  }

  async remove(id: string): Promise<void> {
    const { workflow } = await this.get(id);
    this.scheduler?.set({ id, schedule: null });
    for (const run of await this.store.listUnfinishedRuns()) if (run.workflowId === id) await this.engine.cancel(run.id);
    await this.store.deleteWorkflow(id);
    this.announce(workflow);
  }

  async versions(id: string): Promise<WorkflowVersion[]> {
    await this.get(id);
    return (await this.store.listVersions(id)).map(maskVersion);
  }

  /** How many runs a start request asks for; refuses a request that is not valid. */
  runsRequested(raw: unknown): number {
    return this.parseStart(raw).inputs?.length ?? 1;
  }

  private parseStart(raw: unknown) {
    const input = this.startInput.safeParse(raw ?? {});
    if (!input.success) throw bad(`Cannot start the run: ${describeIssues(input.error)}`);
    return input.data;
  }

  /** Starts one run, or one per entry of `inputs`, on the current version. */
  async startRuns(id: string, raw: unknown): Promise<RunRecord[]> {
    const input = this.parseStart(raw);
    const { workflow, current } = await this.get(id);
    const inputs = input.inputs ?? [input.input];
    const elsewhere = workflow.worldId && inputs.find((one) => typeof one.worldId === 'string' && one.worldId !== workflow.worldId)?.worldId;
    if (elsewhere) throw bad(`This workflow stands in world "${workflow.worldId}"; its runs cannot work in world "${String(elsewhere).slice(0, 64)}".`);
    const runs: RunRecord[] = [];
    for (const one of inputs) runs.push(await this.engine.startRun(workflow.id, current.version, current.definition, one, input.priority));
    return runs;
  }
}
