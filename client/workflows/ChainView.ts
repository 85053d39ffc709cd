/**
 * One workflow standing in the room: a row of step nodes joined by links, each node showing its
 * kind, name and live status, a button row on each node for the 3D builder (move, remove, add),
 * a face that picks its step when pressed (to change its kind),
 * a title with save/discard while a draft differs, and a line from each node that produced a
 * result document to that document.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import type { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateLines } from '@babylonjs/core/Meshes/Builders/linesBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { LinesMesh } from '@babylonjs/core/Meshes/linesMesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { NODE, dropsOnNode, linkEnds, nodePositions, titleStrip, type Vec3 } from './chainLayout';
import { createButtonTexture, createNodeTexture, createTitleTexture, drawNodeFace, drawTitle } from './nodeFace';
import type { Look } from './stepLook';
import { registerControl } from '../scene/controls';

/** PICK is a press on the node's face: it picks the step (to change its kind). */
export const NodeAction = { LEFT: 'left', REMOVE: 'remove', ADD: 'add', RIGHT: 'right', PICK: 'pick' } as const;
export type NodeAction = (typeof NodeAction)[keyof typeof NodeAction];
export const ChainAction = { SAVE: 'save', DISCARD: 'discard' } as const;
export type ChainAction = (typeof ChainAction)[keyof typeof ChainAction];

export interface ChainButton {
  workflowId: string;
  index: number;
  action: NodeAction | ChainAction;
}

/** Pick data on chain meshes. */
export interface ChainPick {
  chainNode?: { workflowId: string; index: number; stepId: string };
  chainButton?: ChainButton;
}

/** What a button says it does, on hover and to tests. */
function buttonLabel(action: Exclude<NodeAction, 'pick'> | ChainAction, stepName: string): string {
  switch (action) {
    case NodeAction.LEFT:
      return `Move “${stepName}” earlier`;
    case NodeAction.RIGHT:
      return `Move “${stepName}” later`;
    case NodeAction.REMOVE:
      return `Remove “${stepName}”`;
    case NodeAction.ADD:
      return `Add a step after “${stepName}”`;
    case ChainAction.SAVE:
      return 'Save the chain';
    case ChainAction.DISCARD:
      return 'Undo the changes';
  }
}

export interface ChainShape {
  workflowId: string;
  name: string;
  version: number;
  /** Showing an unsaved draft rather than the saved version. */
  draft: boolean;
  steps: readonly { id: string; kind: string; name: string }[];
}

export interface NodeState {
  look: Look;
  /** A document this step produced, shown linked to the node. */
  resultDocId: string;
}

/** Node buttons are 13 cm squares: easy to hit with a controller's ray or a finger in VR. */
const BUTTON = 0.13;
const NODE_BUTTONS: readonly [Exclude<NodeAction, 'pick'>, string][] = [
  [NodeAction.LEFT, '<'],
  [NodeAction.REMOVE, '−'],
  [NodeAction.ADD, '+'],
  [NodeAction.RIGHT, '>'],
];

interface NodeParts {
  id: string;
  face: Mesh;
  texture: DynamicTexture;
  faceKey: string;
  /** The status line drawn on the face now. */
  shown: string;
  bar: Mesh;
  busy: boolean;
  buttons: Map<NodeAction, Mesh>;
  result: { docId: string; line: LinesMesh | null; from: Vector3; to: Vector3 | null };
}

function flatMaterial(scene: Scene, name: string, texture: DynamicTexture | null, colour?: Color3): StandardMaterial {
  const m = new StandardMaterial(name, scene);
  m.disableLighting = true;
  m.backFaceCulling = true;
  if (texture) {
    m.diffuseTexture = texture;
    m.emissiveColor = Color3.White();
    m.useAlphaFromDiffuseTexture = true;
  } else {
    m.emissiveColor = colour ?? Color3.Gray();
  }
  return m;
}

export class ChainView {
  readonly root: TransformNode;
  readonly key: string;
  private readonly nodes: NodeParts[] = [];
  private readonly links: Mesh[] = [];
  private readonly chainButtons = new Map<ChainAction, Mesh>();
  private readonly title: Mesh;
  private readonly titleTexture: DynamicTexture;
  private titleText = '';
  private readonly centre: Vec3;

  constructor(
    private readonly scene: Scene,
    readonly shape: ChainShape,
    centre: Vec3,
    /** A button was pressed (by mouse, ray, touch or pinch). */
    private readonly pressed: (button: ChainButton) => void,
  ) {
    this.key = ChainView.keyOf(shape);
    const id = shape.workflowId;
    this.root = new TransformNode(`chain-${id}`, scene);
    const positions = nodePositions(shape.steps.length, centre);
    shape.steps.forEach((step, i) => {
      const p = positions[i]!;
      const texture = createNodeTexture(scene, `chain-${id}-${i}-tex`);
      const face = CreatePlane(`chain-${id}-${i}`, { width: NODE.width, height: NODE.height, sideOrientation: Mesh.BACKSIDE }, scene);
      face.parent = this.root;
      face.position.set(...p);
      face.material = flatMaterial(scene, `chain-${id}-${i}-mat`, texture);
      face.metadata = { chainNode: { workflowId: id, index: i, stepId: step.id } } satisfies ChainPick;
      registerControl(face, { label: `Step ${i + 1} · ${step.name}`, press: () => this.pressed({ workflowId: id, index: i, action: NodeAction.PICK }) });
      const bar = CreateBox(`chain-${id}-${i}-bar`, { width: NODE.width, height: 0.025, depth: 0.01 }, scene);
      bar.parent = this.root;
      bar.position.set(p[0], p[1] - NODE.height / 2 - 0.03, p[2]);
      bar.material = flatMaterial(scene, `chain-${id}-${i}-bar-mat`, null, Color3.FromHexString('#2f6fde'));
      bar.isPickable = false;
      bar.setEnabled(false);
      const buttons = new Map<NodeAction, Mesh>();
      NODE_BUTTONS.forEach(([action, glyph], b) => {
        const m = this.button(`chain-${id}-${i}-${action}`, glyph, '#e3e6eb', BUTTON, { workflowId: id, index: i, action }, step.name);
        m.position.set(p[0] + (b - 1.5) * (BUTTON + 0.02), p[1] + NODE.height / 2 + BUTTON / 2 + 0.02, p[2]);
        buttons.set(action, m);
      });
      this.nodes.push({ id: step.id, face, texture, faceKey: '', shown: '', bar, busy: false, buttons, result: { docId: '', line: null, from: new Vector3(p[0], p[1] - NODE.height / 2, p[2]), to: null } });
      const ends = linkEnds(positions, i);
      if (ends) {
        const link = CreateBox(`chain-${id}-link-${i}`, { width: NODE.gap, height: 0.035, depth: 0.035 }, scene);
        link.parent = this.root;
        link.position.set((ends[0][0] + ends[1][0]) / 2, p[1], p[2]);
        link.material = flatMaterial(scene, `chain-${id}-link-${i}-mat`, null, Color3.FromHexString('#7a818c'));
        link.isPickable = false;
        this.links.push(link);
      }
    });
    const right = positions.length ? positions[positions.length - 1]! : centre;
    const top = centre[1] + NODE.height / 2 + BUTTON + 0.16;
    (
      [
        [ChainAction.SAVE, 'Save', '#2f6fde'],
        [ChainAction.DISCARD, 'Undo', '#e3e6eb'],
      ] as const
    ).forEach(([action, text, colour], b) => {
      const m = this.button(`chain-${id}-${action}`, text, colour, BUTTON * 2, { workflowId: id, index: -1, action }, shape.name);
      m.position.set(right[0] + NODE.width / 2 - BUTTON * (1 + 2.2 * b), top + 0.18, centre[2]);
      m.setEnabled(shape.draft);
      this.chainButtons.set(action, m);
    });
    this.centre = centre;
    // the title spans the chain from its left edge, above the button rows
    const strip = titleStrip(shape.steps.length);
    this.titleTexture = createTitleTexture(scene, `chain-${id}-title-tex`, strip);
    this.title = CreatePlane(`chain-${id}-title`, { width: strip.width, height: strip.height, sideOrientation: Mesh.BACKSIDE }, scene);
    this.title.parent = this.root;
    this.title.material = flatMaterial(scene, `chain-${id}-title-mat`, this.titleTexture);
    this.title.isPickable = false;
    this.title.position.set(centre[0], top, centre[2]);
    this.setTitle(0, 0);
  }

  static keyOf(shape: ChainShape): string {
    return JSON.stringify([shape.name, shape.version, shape.draft, shape.steps.map((s) => [s.id, s.kind, s.name])]);
  }

  private button(name: string, glyph: string, colour: string, width: number, button: ChainButton & { action: Exclude<NodeAction, 'pick'> | ChainAction }, subject: string): Mesh {
    const texture = createButtonTexture(this.scene, `${name}-tex`, glyph, colour);
    const m = CreatePlane(name, { width, height: BUTTON, sideOrientation: Mesh.BACKSIDE }, this.scene);
    m.parent = this.root;
    m.material = flatMaterial(this.scene, `${name}-mat`, texture);
    m.metadata = { chainButton: button } satisfies ChainPick;
    registerControl(m, { label: buttonLabel(button.action, subject), press: () => this.pressed(button) });
    return m;
  }

  /** Title above the chain: name, version, run progress, draft marker. */
  setTitle(done: number, total: number): void {
    const s = this.shape;
    const text = `${s.name} · v${s.version}${total ? ` · ${done}/${total} done` : ''}${s.draft ? ' · unsaved draft' : ''}`;
    if (text === this.titleText) return;
    this.titleText = text;
    drawTitle(this.titleTexture, text, s.draft ? '#ffd54f' : '#20242c');
  }

  /** Shows each step's state (undefined: no run yet). */
  setStates(states: readonly (NodeState | undefined)[]): void {
    this.nodes.forEach((node, i) => {
      const st = states[i];
      const look = st?.look ?? { colour: '#59606b', label: 'ready', detail: '', busy: false };
      const step = this.shape.steps[i]!;
      const faceKey = JSON.stringify([look, step.name, step.kind, this.shape.draft]);
      if (faceKey !== node.faceKey) {
        node.faceKey = faceKey;
        drawNodeFace(node.texture, { kind: step.kind, name: step.name, look, position: i + 1, draft: this.shape.draft });
        node.shown = look.label;
      }
      node.busy = look.busy;
      node.bar.setEnabled(look.busy);
      node.result.docId = st?.resultDocId ?? '';
      if (i < this.links.length) {
        const done = st?.look.label === 'succeeded' || st?.look.label === 'skipped';
        (this.links[i]!.material as StandardMaterial).emissiveColor = Color3.FromHexString(done ? '#23884a' : '#7a818c');
      }
    });
  }

  /** Animates busy nodes and keeps result lines on their documents. */
  update(nowMs: number, documentAt: (docId: string) => Vector3 | undefined): void {
    const phase = (nowMs % 1200) / 1200;
    for (const node of this.nodes) {
      if (node.busy) node.bar.scaling.x = 0.15 + 0.85 * Math.abs(Math.sin(phase * Math.PI));
      const r = node.result;
      const to = r.docId ? documentAt(r.docId) : undefined;
      if (!to) {
        if (r.line) r.line.dispose();
        r.line = null;
        r.to = null;
        continue;
      }
      if (r.line && r.to && Vector3.DistanceSquared(r.to, to) < 1e-4) continue;
      r.to = to.clone();
      r.line = CreateLines(`chain-${this.shape.workflowId}-${node.id}-result`, { points: [r.from, r.to], updatable: true, instance: r.line ?? undefined }, this.scene);
      r.line.color = Color3.FromHexString('#23884a');
      r.line.isPickable = false;
    }
  }

  /** World position of a node's centre, or of one of its buttons. */
  nodePoint(stepId: string, action?: NodeAction): Vector3 | null {
    const node = this.nodes.find((n) => n.id === stepId);
    if (!node) return null;
    return (action && action !== NodeAction.PICK ? node.buttons.get(action) : node.face)?.getAbsolutePosition() ?? null;
  }

  /** Whether a document whose centre is at `point` (world) is set down on the first node. */
  onStartNode(point: Vector3): boolean {
    const face = this.nodes[0]?.face;
    if (!face?.isEnabled()) return false;
    const local = Vector3.TransformCoordinates(point, Matrix.Invert(face.computeWorldMatrix(true)));
    return dropsOnNode([local.x, local.y, local.z]);
  }

  chainButtonPoint(action: ChainAction): Vector3 | null {
    const m = this.chainButtons.get(action);
    return m?.isEnabled() ? m.getAbsolutePosition() : null;
  }

  /** The status line a node's face shows ('' for an unknown step). */
  shownStatus(stepId: string): string {
    return this.nodes.find((n) => n.id === stepId)?.shown ?? '';
  }

  /** Whether a node's result document is linked by a line right now. */
  resultLinked(stepId: string): boolean {
    return !!this.nodes.find((n) => n.id === stepId)?.result.line;
  }

  dispose(): void {
    for (const n of this.nodes) n.result.line?.dispose();
    this.root.dispose(false, true);
  }
}
