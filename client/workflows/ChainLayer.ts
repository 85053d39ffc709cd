/**
 * All chains of the world in 3D, kept in step with the room state (workflows and their runs) and
 * with the local draft: a person editing sees their draft on the chain, everyone else the saved
 * version. Presses on node buttons edit the draft; a document released over a chain's first node
 * starts a run on it.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { WorldSession } from '../net/session';
import type { BuilderStore } from './BuilderStore';
import { chainOrder, chainPlaces } from '../../shared/model/chainPlaces';
import { ChainAction, ChainView, NodeAction, type ChainButton, type ChainPick, type ChainShape, type NodeState } from './ChainView';
import { addStep, changeStepKind, moveStep, removeStep, stepIndex, type Draft } from './draft';
import { initialParams } from './schemaForm';
import { currentRun, progressOf, stepLook, type RunView } from './stepLook';
import { inBackground } from '../ui/kit/background';

export interface ChainLayerHost {
  scene: Scene;
  camera: UniversalCamera;
  session: WorldSession;
  store: BuilderStore;
  documentAt(docId: string): Vector3 | undefined;
  notify(message: string): void;
  /** A node's face was pressed: its step is picked. */
  stepPicked(workflowId: string, stepId: string): void;
}

const pickOf = (m: AbstractMesh): ChainPick | null => (m.metadata as ChainPick | null) ?? null;
const isStartNode = (m: AbstractMesh) => pickOf(m)?.chainNode?.index === 0;

export interface RoomRun extends RunView {
  documentId: string;
  version: number;
  steps: (RunView['steps'][number] & { documentId: string })[];
}

/** The runs of the room state as plain values. */
export function runsOf(session: WorldSession): RoomRun[] {
  const out: RoomRun[] = [];
  session.state.runs.forEach((r) =>
    out.push({
      id: r.id,
      workflowId: r.workflowId,
      status: r.status,
      updatedAt: r.updatedAt,
      documentId: r.documentId,
      version: r.version,
      steps: r.steps.map((s) => ({ id: s.id, status: s.status, attempt: s.attempt, detail: s.detail, documentId: s.documentId })),
    }),
  );
  return out;
}

export class ChainLayer {
  readonly views = new Map<string, ChainView>();
  /** Where each view stands, to rebuild it when that changes. */
  private readonly places = new Map<string, string>();
  private readonly stopStore: () => void;
  private dirty = true;
  /** Node and chain buttons are controls (client/input/controls.ts): every way of pressing ends here. */
  private readonly pressed = (b: ChainButton) => inBackground(this.press(b.workflowId, b.index, b.action), 'That action');

  constructor(private readonly host: ChainLayerHost) {
    this.stopStore = host.store.subscribe(() => (this.dirty = true));
  }

  /** Call when the room state changed. */
  invalidate(): void {
    this.dirty = true;
  }

  update(nowMs: number): void {
    if (this.dirty) this.sync();
    for (const v of this.views.values()) v.update(nowMs, this.host.documentAt);
  }

  private shapeOf(workflowId: string): ChainShape | null {
    const w = this.host.session.state.workflows.get(workflowId);
    if (!w) return null;
    const draft = this.host.store.changedDraft(workflowId);
    const steps = draft ? draft.definition.steps : w.steps.map((s) => ({ id: s.id, kind: s.kind, name: s.name }));
    return { workflowId, name: draft?.definition.name ?? w.name, version: draft?.baseVersion ?? w.version, draft: !!draft, steps: steps.map((s) => ({ id: s.id, kind: s.kind, name: s.name })) };
  }

  private sync(): void {
    this.dirty = false;
    const ids = chainOrder(this.host.session.state.workflows.keys());
    for (const [id, view] of this.views) {
      if (!ids.includes(id)) {
        view.dispose();
        this.views.delete(id);
        this.places.delete(id);
      }
    }
    const runs = runsOf(this.host.session);
    // laid out by the saved versions, so a person's unsaved draft moves nobody's chains
    const places = chainPlaces(ids.map((id) => ({ id, steps: this.host.session.state.workflows.get(id)!.steps.length })));
    ids.forEach((id) => {
      const shape = this.shapeOf(id)!;
      const centre = places.get(id)!;
      const place = centre.join(',');
      let view = this.views.get(id);
      if (!view || view.key !== ChainView.keyOf(shape) || this.places.get(id) !== place) {
        view?.dispose();
        view = new ChainView(this.host.scene, shape, centre, this.pressed);
        this.views.set(id, view);
        this.places.set(id, place);
      }
      const run = currentRun(runs, id);
      // a run follows the version it started on: match its steps by id, not by position
      const states: (NodeState | undefined)[] = shape.steps.map((s) => {
        const rs = run?.steps.find((x) => x.id === s.id);
        return rs ? { look: stepLook(rs), resultDocId: rs.documentId } : undefined;
      });
      view.setStates(states);
      const p = progressOf(run);
      view.setTitle(p.done, p.total);
    });
  }

  private async press(workflowId: string, index: number, action: NodeAction | ChainAction): Promise<void> {
    const store = this.host.store;
    switch (action) {
      case ChainAction.SAVE:
        await store.save('edited in 3D');
        break;
      case ChainAction.DISCARD:
        await store.discard();
        break;
      case NodeAction.LEFT:
        await store.editFromChain(workflowId, (d) => moveStep(d, index, -1));
        break;
      case NodeAction.RIGHT:
        await store.editFromChain(workflowId, (d) => moveStep(d, index, 1));
        break;
      case NodeAction.REMOVE:
        await store.editFromChain(workflowId, (d) => removeStep(d, index));
        break;
      case NodeAction.ADD:
        await store.loadCatalogue();
        await store.editFromChain(workflowId, (d) => this.addAfter(d, index));
        break;
      case NodeAction.PICK: {
        const stepId = this.views.get(workflowId)?.shape.steps[index]?.id;
        if (stepId) this.host.stepPicked(workflowId, stepId);
        return;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`unknown chain action ${String(unreachable)}`);
      }
    }
    if (store.state.error) this.host.notify(store.state.error);
  }

  /** A kind's title and starting parameters, as a new step of it gets them. */
  private fresh(kind: string): { title: string; params: Record<string, unknown> } {
    const info = this.host.store.state.kinds.find((k) => k.kind === kind);
    const spec = this.host.store.spec(kind);
    return { title: info?.title ?? kind, params: spec ? initialParams(spec) : {} };
  }

  /** In 3D "+" adds a copy of the node's kind after it, with starting parameters; picking the node changes its kind. */
  private addAfter(d: Draft, index: number): Draft {
    const step = d.definition.steps[index]!;
    const { title, params } = this.fresh(step.kind);
    return addStep(d, step.kind, title, params, index + 1);
  }

  /**
   * Makes a step of a chain another kind, with that kind's starting parameters, in the same draft the
   * node buttons edit: the chain then shows the unsaved draft, and its Save button keeps it. Returns
   * the refusal, or '' when the chain changed.
   */
  async changeKind(workflowId: string, stepId: string, kind: string): Promise<string> {
    const store = this.host.store;
    await store.loadCatalogue();
    await store.editFromChain(workflowId, (d) => {
      const { title, params } = this.fresh(kind);
      return changeStepKind(d, stepIndex(d, stepId), kind, title, params);
    });
    return store.state.error;
  }

  /** A document let go at a canvas point: over a chain's first node it starts a run on it. */
  documentReleased(docId: string, x: number, y: number): boolean {
    const { scene, camera } = this.host;
    const pick = scene.pick(x, y, isStartNode, false, camera);
    const node = pick.pickedMesh ? pickOf(pick.pickedMesh)?.chainNode : undefined;
    if (!node) return false;
    this.startOn(node.workflowId, docId);
    return true;
  }

  /** A document let go by hand in VR or AR: set down on a chain's first node (the panel, or the hand that let it go), it starts a run on it. */
  documentDropped(docId: string, hand: Vector3): boolean {
    const at = this.host.documentAt(docId);
    for (const [workflowId, view] of this.views) {
      if (!view.onStartNode(hand) && !(at && view.onStartNode(at))) continue;
      this.startOn(workflowId, docId);
      return true;
    }
    return false;
  }

  private startOn(workflowId: string, docId: string): void {
    const { session } = this.host;
    session.startRun(workflowId, docId);
    const name = session.state.workflows.get(workflowId)?.name ?? 'the chain';
    const title = session.state.documents.get(docId)?.title ?? 'the document';
    this.host.notify(`Started “${name}” on “${title}”.`);
  }

  dispose(): void {
    this.stopStore();
    for (const v of this.views.values()) v.dispose();
    this.views.clear();
  }
}
