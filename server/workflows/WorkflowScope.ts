/**
 * What a workflow's runs may touch, checked in one place: where a run's step adapters are made, so
 * no step can forget it and a run's input (a document id, a world id) opens nothing by itself.
 * A workflow in a world works in that world only. One in no world belongs to the account that made
 * it and works where that account's role allows. One in no world with no owner (stored before owners
 * were kept) touches no world at all.
 */
import type { WorldAction } from '../../shared/model/roles';
import type { Who } from '../access/WorldAccess';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import { StepFailure, type StepAdapters } from './steps/StepKind';

export interface WorkflowScopeDeps {
  base: StepAdapters;
  workflows: Pick<WorkflowStore, 'getWorkflow'>;
  /** The world a stored document stands in; undefined when there is no such document. */
  documentWorld(documentId: string): Promise<string | undefined>;
  /** The account behind an owner id; null when it is gone. */
  account(userId: string): Promise<Who>;
  /** Whether an account's role in a world lets it do `action` there. */
  may(who: NonNullable<Who>, worldId: string, action: WorldAction): Promise<boolean>;
}

type Touch = Extract<WorldAction, 'read' | 'editDocuments'>;
const VERB: Record<Touch, string> = { read: 'read documents', editDocuments: 'add or change documents' };

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

  /** The adapters a run's steps get: every document and world they name is checked against the run's workflow. */
  async adaptersFor(run: { workflowId: string }): Promise<StepAdapters> {
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
    return scoped;
  }

  private async check(workflow: WorkflowRecord | undefined, worldId: string, action: Touch): Promise<void> {
    const verb = VERB[action];
    if (!workflow) throw outOfScope(`This run's workflow no longer exists, so it may not ${verb}.`);
    if (workflow.worldId) {
      if (workflow.worldId === worldId) return;
      throw outOfScope(`This workflow stands in world "${workflow.worldId}"; it may not ${verb} in another world ("${worldId}").`);
    }
    if (!workflow.ownerId) throw outOfScope(`This workflow stands in no world and has no owner, so it may not ${verb} in any world; make it again inside a world.`);
    const owner = await this.d.account(workflow.ownerId);
    if (!owner) throw outOfScope(`The account that made this workflow is gone, so it may not ${verb} in any world; make the workflow again inside a world.`);
    if (!(await this.d.may(owner, worldId, action))) throw outOfScope(`${owner.username}, who owns this workflow, may not ${verb} in world "${worldId}".`);
  }
}
