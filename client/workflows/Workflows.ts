/**
 * Workflows in an open world: the 3D chains, the 2D builder panel and the run list, wired to the
 * session. WorldView creates one, calls update() every frame and passes on released documents;
 * client/testing reads its chains for `window.__dwc`.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import type { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { StateCallbacks, WorldSession } from '../net/session';
import { toast } from '../ui/kit/toast';
import { BuilderPanel, type WorldWorkflows } from './BuilderPanel';
import { BuilderStore } from './BuilderStore';
import { ChainLayer, runsOf } from './ChainLayer';
import type { ChainView } from './ChainView';
import { RunListPanel } from './RunListPanel';
import { watchWorkflowState, type WatchedPart } from './stateWatch';
import { progressOf } from './stepLook';
import './workflows.css';

export interface WorkflowsHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  /** The room's state callbacks, shared with the other layers of the world view. */
  callbacks: StateCallbacks;
  documentAt(docId: string): Vector3 | undefined;
}

export class Workflows {
  readonly store: BuilderStore;
  private readonly layer: ChainLayer;
  private readonly panel: BuilderPanel;
  private readonly runList: RunListPanel;
  /** Parts of the state changed since the last frame; handled once per frame however many patches came. */
  private readonly dirty = new Set<WatchedPart>();
  /** Statuses received per run and step, at the rate patches arrive rather than frames are drawn. */
  private readonly seen = new Map<string, Map<string, string[]>>();
  private readonly stopWatch: () => void;
  private readonly stopErrors: () => void;

  constructor(private readonly host: WorkflowsHost) {
    const { session } = host;
    this.store = new BuilderStore(session.state.worldId);
    this.layer = new ChainLayer({ ...host, store: this.store, notify: (m) => toast(m, /^Started/.test(m) ? 'info' : 'error') });
    this.panel = new BuilderPanel({
      store: this.store,
      world: () => this.world(),
      startRun: (workflowId, documentId) => {
        session.startRun(workflowId, documentId);
        toast('Run started.');
      },
    });
    this.runList = new RunListPanel({ cancel: (runId) => session.cancelRun(runId), answer: (runId, approved) => session.answerRun(runId, approved) });
    const page = host.canvas.parentElement ?? document.body;
    page.append(this.panel.toggle, this.panel.element, this.runList.element);
    this.stopWatch = watchWorkflowState(host.callbacks, {
      changed: (part) => this.dirty.add(part),
      stepStatus: (runId, stepId, status) => this.see(runId, stepId, status),
    });
    this.stopErrors = session.onIntentError((e) => {
      if (e.intent === 'runStart' || e.intent === 'runCancel' || e.intent === 'runAnswer') toast(e.message, 'error');
    });
  }

  private world(): WorldWorkflows {
    const state = this.host.session.state;
    const workflows: WorldWorkflows['workflows'] = [];
    state.workflows.forEach((w) => workflows.push({ id: w.id, name: w.name, version: w.version, latestVersion: w.latestVersion }));
    const documents: WorldWorkflows['documents'] = [];
    state.documents.forEach((d, id) => documents.push({ id, title: d.title }));
    return { workflows: workflows.sort((a, b) => a.id.localeCompare(b.id)), documents };
  }

  private see(runId: string, stepId: string, status: string): void {
    let steps = this.seen.get(runId);
    if (!steps) this.seen.set(runId, (steps = new Map()));
    const list = steps.get(stepId) ?? [];
    if (list[list.length - 1] !== status) steps.set(stepId, [...list, status]);
  }

  /** Call every frame. */
  update(nowMs: number): void {
    if (this.dirty.size) this.refresh();
    this.layer.update(nowMs);
  }

  private refresh(): void {
    const has = (part: WatchedPart) => this.dirty.has(part);
    const world = this.world();
    if (has('workflows')) {
      const selected = this.store.state.draft?.workflowId;
      if (selected) this.store.worldChanged(selected, world.workflows.find((w) => w.id === selected)?.latestVersion ?? null);
    }
    if (has('workflows') || has('documents')) this.panel.refreshWorld();
    if (has('workflows') || has('runs') || has('documents')) {
      const runs = runsOf(this.host.session);
      this.layer.invalidate();
      const names = new Map(world.workflows.map((w) => [w.id, w.name]));
      const titles = new Map(world.documents.map((d) => [d.id, d.title]));
      this.runList.update(
        runs.map((r) => ({ id: r.id, workflowName: names.get(r.workflowId) ?? 'a removed chain', status: r.status, documentTitle: titles.get(r.documentId) ?? '', updatedAt: r.updatedAt, progress: progressOf(r) })),
      );
    }
    this.dirty.clear();
  }

  /** A document let go at a canvas point (see ChainLayer.documentReleased). */
  documentReleased(docId: string, x: number, y: number): void {
    this.layer.documentReleased(docId, x, y);
  }

  /** The chains on show, by workflow id. */
  get chains(): ReadonlyMap<string, ChainView> {
    return this.layer.views;
  }

  /** Every status this browser received for a run's step, in order (repeats folded). */
  seenStatuses(runId: string, stepId: string): readonly string[] {
    return this.seen.get(runId)?.get(stepId) ?? [];
  }

  /** A document let go by hand in VR or AR (see ChainLayer.documentDropped). */
  documentDropped(docId: string, hand: Vector3): void {
    this.layer.documentDropped(docId, hand);
  }

  dispose(): void {
    this.stopWatch();
    this.stopErrors();
    this.layer.dispose();
    this.panel.dispose();
    this.runList.dispose();
  }
}
