/**
 * One document standing in the room: a thin board with the text on its front, and a badge while
 * someone holds it. Server transforms are approached smoothly; the holder's own drag is applied
 * at once (optimistic) and server echoes are ignored until the drag ends.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import type { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { Quat, Vec3 } from '../../shared/protocol';
import { approachFactor } from './interpolation';
import { createLabel, disposeLabel } from './labels';
import { createPanelTexture, drawPanel } from './textures';

export const PANEL_WIDTH = 1.2;
export const PANEL_HEIGHT = 0.9;
const PANEL_DEPTH = 0.04;
/** Remote moves close half the gap in this time: smooth, yet only a frame or two behind. */
const SMOOTHING_HALF_LIFE_MS = 40;

export interface Holder {
  name: string;
  colour: string;
}

/** Metadata on every pickable mesh of a panel, so a pick finds its document. */
export interface PanelPickData {
  docId: string;
}

export class DocumentPanel {
  /** The board; its position, rotation and scaling are the document's transform. */
  readonly root: Mesh;
  private readonly face: Mesh;
  private readonly texture: DynamicTexture;
  private readonly boardMaterial: StandardMaterial;
  private badge: Mesh | null = null;
  private holderKey = '';
  private readonly targetPosition = new Vector3();
  private readonly targetRotation = new Quaternion();
  private targetScale = 1;
  private snapNext = true;
  /** True while this browser drags the panel: its own pointer is the truth, not the server echo. */
  private local = false;

  constructor(
    private readonly scene: Scene,
    readonly docId: string,
    private readonly accent: string,
  ) {
    const pick: PanelPickData = { docId };
    this.boardMaterial = new StandardMaterial(`doc-${docId}-board`, scene);
    this.boardMaterial.diffuseColor = new Color3(0.22, 0.24, 0.28);
    this.boardMaterial.specularColor = new Color3(0.1, 0.1, 0.1);
    this.root = CreateBox(`doc-${docId}`, { width: PANEL_WIDTH, height: PANEL_HEIGHT, depth: PANEL_DEPTH }, scene);
    this.root.material = this.boardMaterial;
    this.root.metadata = pick;
    this.root.rotationQuaternion = new Quaternion();

    this.texture = createPanelTexture(scene, `doc-${docId}-text`);
    const faceMaterial = new StandardMaterial(`doc-${docId}-face`, scene);
    faceMaterial.diffuseTexture = this.texture;
    faceMaterial.emissiveColor = new Color3(0.45, 0.45, 0.45);
    faceMaterial.specularColor = Color3.Black();
    // in our right-handed scene a plane's default front looks down -Z and would read mirrored;
    // BACKSIDE turns it to face +Z, the panel's readable side, with the text the right way round
    this.face = CreatePlane(`doc-${docId}-face`, { width: PANEL_WIDTH - 0.04, height: PANEL_HEIGHT - 0.04, sideOrientation: Mesh.BACKSIDE }, scene);
    this.face.material = faceMaterial;
    this.face.parent = this.root;
    this.face.position.z = PANEL_DEPTH / 2 + 0.002;
    this.face.metadata = pick;
  }

  setContent(title: string, body: string): void {
    drawPanel(this.texture, title, body, this.accent);
  }

  /** The authoritative transform from the server. */
  setTarget(position: Vec3, rotation: Quat, scale: number): void {
    // echoes of our own drag lag behind the pointer; following them would pull the panel back
    if (this.local) return;
    this.targetPosition.set(...position);
    this.targetRotation.set(...rotation);
    this.targetScale = scale > 0 ? scale : 1;
    if (this.snapNext) {
      this.snapNext = false;
      this.applyNow();
    }
  }

  /** Starts or ends optimistic local control (this browser's own drag). */
  setLocal(local: boolean): void {
    this.local = local;
  }

  /** Puts the panel where this browser's pointer says, at once. */
  moveLocally(position: Vector3, rotation: Quaternion): void {
    this.root.position.copyFrom(position);
    this.rotation.copyFrom(rotation);
    this.targetPosition.copyFrom(position);
    this.targetRotation.copyFrom(rotation);
  }

  get position(): Vector3 {
    return this.root.position;
  }

  get rotation(): Quaternion {
    return this.root.rotationQuaternion!;
  }

  setHolder(holder: Holder | null): void {
    const key = holder ? `${holder.name}\u0000${holder.colour}` : '';
    if (key === this.holderKey) return;
    this.holderKey = key;
    if (this.badge) disposeLabel(this.badge);
    this.badge = null;
    this.boardMaterial.emissiveColor = holder ? Color3.FromHexString(holder.colour).scale(0.7) : Color3.Black();
    if (!holder) return;
    this.badge = createLabel(this.scene, `doc-${this.docId}-badge`, `Held by ${holder.name}`, holder.colour, { width: 0.9, billboard: false });
    this.badge.parent = this.root;
    this.badge.position.set(0, PANEL_HEIGHT / 2 + 0.11, PANEL_DEPTH / 2 + 0.003);
  }

  /** Advances the smoothing; call once per frame. */
  update(dtMs: number): void {
    if (this.local) return;
    const k = approachFactor(dtMs, SMOOTHING_HALF_LIFE_MS);
    Vector3.LerpToRef(this.root.position, this.targetPosition, k, this.root.position);
    Quaternion.SlerpToRef(this.rotation, this.targetRotation, k, this.rotation);
    const s = this.root.scaling.x + (this.targetScale - this.root.scaling.x) * k;
    this.root.scaling.setAll(s);
  }

  private applyNow(): void {
    this.root.position.copyFrom(this.targetPosition);
    this.rotation.copyFrom(this.targetRotation);
    this.root.scaling.setAll(this.targetScale);
  }

  dispose(): void {
    if (this.badge) disposeLabel(this.badge);
    this.root.dispose(false, true);
  }
}
