/**
 * What every document in the room shares, whatever it looks like: a root whose transform is the
 * document's, approached smoothly from the server's; the holder's own drag applied at once
 * (optimistic) with server echoes ignored until it ends; and a "held by" badge above it. A document
 * that stands still can have its meshes' world matrices frozen: most documents stand still most of
 * the time, and working out a hundred panels' matrices every frame is most of what they cost.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { Quat, Vec3 } from '../../shared/protocol';
import { approachFactor } from './interpolation';
import { createLabel, disposeLabel } from './labels';

/** Remote moves close half the gap in this time: smooth, yet only a frame or two behind. */
const SMOOTHING_HALF_LIFE_MS = 40;
/** Closer than this (metres, or its share of a turn or of scale) the smoothing lands on the target. */
const SNAP = 1e-4;

export interface Holder {
  name: string;
  colour: string;
}

/** Which part of a document a pickable mesh is. */
export type PickPart = 'board' | 'face' | 'prev' | 'next' | 'spread' | 'model';

/** Metadata on every pickable mesh of a document, so a pick finds its document. */
export interface PanelPickData {
  docId: string;
  part: PickPart;
}

/** Whether a mesh belongs to a document (for picking only documents). */
export const isDocumentMesh = (mesh: AbstractMesh): boolean => typeof (mesh.metadata as PanelPickData | null)?.docId === 'string';

export abstract class PlacedDocument {
  /** Its position, rotation and scaling are the document's transform. */
  readonly root: TransformNode;
  private badge: Mesh | null = null;
  private holderKey = '';
  private readonly targetPosition = new Vector3();
  private readonly targetRotation = new Quaternion();
  private targetScale = 1;
  private snapNext = true;
  /** True while this browser drags the document: its own pointer is the truth, not the server echo. */
  private local = false;
  /** Whether its meshes' world matrices are frozen now (only for kinds that ask, see freezeWhenStill). */
  private frozen = false;
  /** Kinds whose meshes never move on their own (no animation) freeze them while the document rests. */
  protected freezeWhenStill = false;

  constructor(
    protected readonly scene: Scene,
    readonly docId: string,
  ) {
    this.root = new TransformNode(`doc-${docId}`, scene);
    this.root.rotationQuaternion = new Quaternion();
  }

  /** Half the unscaled height, so a drag keeps the document above the floor. */
  abstract get halfHeight(): number;

  /** Called when the holder changes, for a look of its own (e.g. a tinted board). */
  protected abstract showHolder(holder: Holder | null): void;

  protected pick(part: PickPart): PanelPickData {
    return { docId: this.docId, part };
  }

  /** The authoritative transform from the server. */
  setTarget(position: Vec3, rotation: Quat, scale: number): void {
    // echoes of our own drag lag behind the pointer; following them would pull the document back
    if (this.local) return;
    this.targetPosition.set(...position);
    this.targetRotation.set(...rotation);
    this.targetScale = scale > 0 ? scale : 1;
    if (this.snapNext) {
      this.snapNext = false;
      this.thaw();
      this.root.position.copyFrom(this.targetPosition);
      this.rotation.copyFrom(this.targetRotation);
      this.root.scaling.setAll(this.targetScale);
    }
  }

  /** Starts or ends optimistic local control (this browser's own drag). */
  setLocal(local: boolean): void {
    this.local = local;
  }

  /** Puts the document where this browser's pointer says, at once. */
  moveLocally(position: Vector3, rotation: Quaternion, scale?: number): void {
    this.thaw();
    this.root.position.copyFrom(position);
    this.rotation.copyFrom(rotation);
    this.targetPosition.copyFrom(position);
    this.targetRotation.copyFrom(rotation);
    if (scale !== undefined) {
      this.root.scaling.setAll(scale);
      this.targetScale = scale;
    }
  }

  get position(): Vector3 {
    return this.root.position;
  }

  get rotation(): Quaternion {
    return this.root.rotationQuaternion!;
  }

  get scale(): number {
    return this.root.scaling.x;
  }

  setHolder(holder: Holder | null): void {
    const key = holder ? `${holder.name}\u0000${holder.colour}` : '';
    if (key === this.holderKey) return;
    this.holderKey = key;
    this.thaw();
    if (this.badge) disposeLabel(this.badge);
    this.badge = null;
    this.showHolder(holder);
    if (!holder) return;
    this.badge = createLabel(this.scene, `doc-${this.docId}-badge`, `Held by ${holder.name}`, holder.colour, { width: 0.9, billboard: false });
    this.badge.parent = this.root;
    this.placeBadge();
  }

  /** Keeps the badge just above the top edge (call when the shape changes). */
  protected placeBadge(): void {
    this.badge?.position.set(0, this.halfHeight + 0.11, 0.025);
  }

  /** Advances the smoothing; call once per frame. */
  update(dtMs: number): void {
    if (this.local) return;
    const position = this.root.position;
    const still = position.equals(this.targetPosition) && this.rotation.equals(this.targetRotation) && this.root.scaling.x === this.targetScale;
    if (still) {
      if (this.freezeWhenStill && !this.frozen) this.freeze();
      return;
    }
    this.thaw();
    const k = approachFactor(dtMs, SMOOTHING_HALF_LIFE_MS);
    Vector3.LerpToRef(position, this.targetPosition, k, position);
    Quaternion.SlerpToRef(this.rotation, this.targetRotation, k, this.rotation);
    const s = this.root.scaling.x + (this.targetScale - this.root.scaling.x) * k;
    this.root.scaling.setAll(s);
    // smoothing alone never quite arrives; landing exactly lets a resting document freeze
    const close = Vector3.DistanceSquared(position, this.targetPosition) < SNAP * SNAP && Math.abs(Quaternion.Dot(this.rotation, this.targetRotation)) > 1 - SNAP * SNAP && Math.abs(s - this.targetScale) < SNAP;
    if (close) {
      position.copyFrom(this.targetPosition);
      this.rotation.copyFrom(this.targetRotation);
      this.root.scaling.setAll(this.targetScale);
    }
  }

  /** Lets its meshes follow their nodes again; call before changing any transform under the root. */
  protected thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    for (const node of this.root.getDescendants(false)) if (node instanceof AbstractMesh) node.unfreezeWorldMatrix();
  }

  private freeze(): void {
    this.frozen = true;
    // parents first (getDescendants lists a node before its children), each from a fresh parent
    this.root.computeWorldMatrix(true);
    for (const node of this.root.getDescendants(false)) {
      if (node instanceof AbstractMesh) node.freezeWorldMatrix();
      else if (node instanceof TransformNode) node.computeWorldMatrix(true);
    }
  }

  dispose(): void {
    if (this.badge) disposeLabel(this.badge);
    this.badge = null;
    this.root.dispose(false, false);
  }
}
