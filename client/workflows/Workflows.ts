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
import { inBackground } from '../ui/kit/background';
import './workflows.css';

/** A step as its chain shows it, for the headset's menu. */
export interface ShownStep {
  /** Its place in the chain, from 1. */
  position: number;
  name: string;
  kind: string;
  /** The chain's name. */
  chain: string;
}

/** What the headset's menu asks of the chains: templates, kinds of step, and the edits it makes. */
export interface ChainBuilding {
  /** Templates and kinds of step, fetched once. */
  loadCatalogue(): Promise<void>;
  templates(): readonly { id: string; title: string }[];
  kinds(): readonly { kind: string; title: string }[];
  /** A step as its chain shows it now (this person's unsaved draft where there is one). */
  step(workflowId: string, stepId: string): ShownStep | null;
  /** Makes a new chain from a template; returns the refusal, or ''. */
  createFromTemplate(template: string): Promise<string>;
  /** Makes a step another kind in the draft; returns the refusal, or ''. */
  changeKind(workflowId: string, stepId: string, kind: string): Promise<string>;
  /** A node's face was pressed; a listener returning true has handled it. */
  onStepPicked(listener: (workflowId: string, stepId: string) => boolean): () => void;
}

export interface WorkflowsHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  /** The room's state callbacks, shared with the other layers of the world view. */
  callbacks: StateCallbacks;
  documentAt(docId: string): Vector3 | undefined;
}

export class Workflows implements ChainBuilding {
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
  private readonly pickListeners = new Set<(workflowId: string, stepId: string) => boolean>();

  constructor(private readonly host: WorkflowsHost) {
    const { session } = host;
    this.store = new BuilderStore(session.state.worldId);
    this.layer = new ChainLayer({
      ...host,
      store: this.store,
      notify: (m) => toast(m, /^Started/.test(m) ? 'info' : 'error'),
      stepPicked: (workflowId, stepId) => this.stepPicked(workflowId, stepId),
    });
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

  /** A node's face pressed: the headset's menu takes it while in VR or AR; else the 2D builder opens on that step. */
  private stepPicked(workflowId: string, stepId: string): void {
    for (const listener of this.pickListeners) if (listener(workflowId, stepId)) return;
    this.panel.setOpen(true);
    const unsaved = this.store.unsavedElsewhere(workflowId);
    if (unsaved) return void toast(unsaved, 'error');
    inBackground(this.store.select(workflowId).then(() => this.panel.reveal(stepId)), 'Opening the workflow');
  }

  onStepPicked(listener: (workflowId: string, stepId: string) => boolean): () => void {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }

  loadCatalogue(): Promise<void> {
    return this.store.loadCatalogue();
  }

  templates(): readonly { id: string; title: string }[] {
    return this.store.state.templates;
  }

  kinds(): readonly { kind: string; title: string }[] {
    return this.store.state.kinds;
  }

  step(workflowId: string, stepId: string): ShownStep | null {
    const shape = this.layer.views.get(workflowId)?.shape;
    const index = shape?.steps.findIndex((s) => s.id === stepId) ?? -1;
    if (!shape || index < 0) return null;
    const step = shape.steps[index]!;
    return { position: index + 1, name: step.name, kind: step.kind, chain: shape.name };
  }

  async createFromTemplate(template: string): Promise<string> {
    // a new chain opens in the builder: it must not push aside unsaved changes to another
    const unsaved = this.store.unsavedElsewhere();
    if (unsaved) return unsaved;
    await this.store.createFromTemplate(template);
    return this.store.state.error;
  }

  changeKind(workflowId: string, stepId: string, kind: string): Promise<string> {
    return this.layer.changeKind(workflowId, stepId, kind);
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
