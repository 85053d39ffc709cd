/**
 * What a workflow's runs may touch, checked in one place: where a run's step adapters are made, so
 * no step can forget it and a run's input (a document id, a world id) opens nothing by itself.
 * A workflow in a world works in that world only. One in no world belongs to the account that made
 * it and works where that account's role allows. One in no world with no owner (stored before owners
 * were kept) touches no world at all.
 */
import { ErrorCode } from '../../shared/protocol';
import type { WorldAction } from '../../shared/model/roles';
import type { Who } from '../access/WorldAccess';
import type { CommandRecord, DeviceRecord } from '../adapters/storage/IotStore';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import { AppError } from '../errors';
import { onceCommandId } from '../iot/Commands';
import { idempotencyKey, type RunRecord } from './engine/runMachine';
import { StepFailure, type StepAdapters, type StepDevices } from './steps/StepKind';

export interface WorkflowScopeDeps {
  base: StepAdapters;
  workflows: Pick<WorkflowStore, 'getWorkflow'>;
  /** The world a stored document stands in; undefined when there is no such document. */
  documentWorld(documentId: string): Promise<string | undefined>;
  /** The account behind an owner id; null when it is gone. */
  account(userId: string): Promise<Who>;
  /** Whether an account's role in a world lets it do `action` there. */
  may(who: NonNullable<Who>, worldId: string, action: WorldAction): Promise<boolean>;
  /** Devices, unchecked: the scope lets a run reach only those of its workflow's world (IotService). */
  devices?: {
    deviceRecord(id: string): Promise<DeviceRecord | undefined>;
    commandOnce(device: DeviceRecord, input: unknown, id: string): Promise<CommandRecord>;
    awaitCommand(commandId: string, waitMs: number): Promise<CommandRecord | undefined>;
  };
}

type Touch = Extract<WorldAction, 'read' | 'editDocuments' | 'editDevices'>;
const VERB: Record<Touch, string> = { read: 'read documents', editDocuments: 'add or change documents', editDevices: 'command devices' };

const outOfScope = (message: string) => new StepFailure('OUT_OF_SCOPE', message, false);

/** `use`, called only once `check` has let its arguments through. */
function checked<A extends unknown[], R>(check: (...args: A) => Promise<void>, use: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    await check(...args);
    return use(...args);
  };
}

export class WorkflowScope {
  private readonly worlds = new Map<string, Promise<string | null>>();

  constructor(private readonly d: WorkflowScopeDeps) {}

  /** The world a workflow's runs show their progress in (null: none). A workflow never moves, so this is kept. */
  worldOf(workflowId: string): Promise<string | null> {
    let world = this.worlds.get(workflowId);
    if (!world) {
      world = this.d.workflows.getWorkflow(workflowId).then((w) => w?.worldId ?? null);
      this.worlds.set(workflowId, world);
      world.catch(() => this.worlds.delete(workflowId));
    }
    return world;
  }

  /** The adapters a run's steps get: every document, world and device they name is checked against the run's workflow. */
  async adaptersFor(run: Pick<RunRecord, 'id' | 'workflowId' | 'steps' | 'createdAt'>): Promise<StepAdapters> {
    const workflow = await this.d.workflows.getWorkflow(run.workflowId);
    const { base } = this.d;
    const inWorld = (worldId: string, action: Touch) => this.check(workflow, worldId, action);
    const onDocument = async (documentId: string, action: Touch) => {
      const worldId = await this.d.documentWorld(documentId);
      // a document that does not exist is left to the adapter, which says so
      if (worldId !== undefined) await inWorld(worldId, action);
    };
    const scoped: StepAdapters = { ...base };
    if (base.documentText) scoped.documentText = checked((id) => onDocument(id, 'read'), base.documentText);
    if (base.verifyDocument) scoped.verifyDocument = checked((id) => onDocument(id, 'read'), base.verifyDocument);
    if (base.anchorDocument) scoped.anchorDocument = checked((id) => onDocument(id, 'editDocuments'), base.anchorDocument);
    if (base.createDocument) scoped.createDocument = checked((input) => inWorld(input.worldId, 'editDocuments'), base.createDocument);
    if (base.draftDocument) scoped.draftDocument = checked((input) => inWorld(input.worldId, 'editDocuments'), base.draftDocument);
    if (this.d.devices) scoped.devices = this.devicesFor(workflow, run, this.d.devices);
    return scoped;
  }

  /**
   * Devices as a run sees them: only those its workflow may use (reading one: seeing its world;
   * commanding one: `editDevices` there). Any other is "not found", so a workflow learns nothing
   * of another world's devices, not even that they exist.
   */
  private devicesFor(workflow: WorkflowRecord | undefined, run: Pick<RunRecord, 'id' | 'steps' | 'createdAt'>, devices: NonNullable<WorkflowScopeDeps['devices']>): StepDevices {
    const notFound = (id: string) => new StepFailure(ErrorCode.NOT_FOUND, `There is no device "${String(id).slice(0, 80)}" that this workflow may use: a workflow reaches only the devices of its own world.`, false);
    const reach = async (deviceId: string, use: 'read' | 'command'): Promise<DeviceRecord> => {
      const device = await devices.deviceRecord(deviceId);
      if (!device || (await this.refusal(workflow, device.worldId, use === 'command' ? 'editDevices' : 'read')) !== null) throw notFound(deviceId);
      return device;
    };
    return {
      device: async (deviceId, use) => {
        const { id, name, worldId } = await reach(deviceId, use);
        return { id, name, worldId };
      },
      command: async (deviceId, input, key) => {
        const device = await reach(deviceId, 'command');
        // the time the step first started is stored before it runs, so every attempt makes the same id
        const step = run.steps.find((s) => idempotencyKey(run, s.stepId) === key);
        if (!step) throw new StepFailure('BAD_KEY', 'A command was given with an idempotency key that is not of this run.', false);
        return devices.commandOnce(device, input, onceCommandId(step.firstStartedAt ?? run.createdAt, key)).catch(refused);
      },
      awaitCommand: async (deviceId, commandId, waitMs) => {
        const device = await reach(deviceId, 'command');
        const command = await devices.awaitCommand(commandId, waitMs);
        if (!command || command.deviceId !== device.id) throw new StepFailure(ErrorCode.NOT_FOUND, `"${device.name}" has no command "${commandId.slice(0, 64)}".`, false);
        return command;
      },
    };
  }

  private async check(workflow: WorkflowRecord | undefined, worldId: string, action: Touch): Promise<void> {
    const refusal = await this.refusal(workflow, worldId, action);
    if (refusal !== null) throw outOfScope(refusal);
  }

  /** Why the workflow may not do `action` in the world; null when it may. */
  private async refusal(workflow: WorkflowRecord | undefined, worldId: string, action: Touch): Promise<string | null> {
    const verb = VERB[action];
    if (!workflow) return `This run's workflow no longer exists, so it may not ${verb}.`;
    if (workflow.worldId) {
      if (workflow.worldId === worldId) return null;
      return `This workflow stands in world "${workflow.worldId}"; it may not ${verb} in another world ("${worldId}").`;
    }
    if (!workflow.ownerId) return `This workflow stands in no world and has no owner, so it may not ${verb} in any world; make it again inside a world.`;
    const owner = await this.d.account(workflow.ownerId);
    if (!owner) return `The account that made this workflow is gone, so it may not ${verb} in any world; make the workflow again inside a world.`;
    if (!(await this.d.may(owner, worldId, action))) return `${owner.username}, who owns this workflow, may not ${verb} in world "${worldId}".`;
    return null;
  }
}

/** A refusal the step's input earned (a revoked key, bad parameters) fails the step for good; another try would get the same. */
function refused(err: unknown): never {
  if (err instanceof AppError && err.status < 500) throw new StepFailure(err.code, err.message, false);
  throw err;
}
