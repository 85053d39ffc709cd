/**
 * The world's props, kept in step with the synchronised state. Every prop of one kind is a thin
 * instance of that kind's mesh (PropModels), so a furnished room costs one draw call per kind.
 * Remote moves are approached smoothly, like documents'; the holder's own drag is applied at once.
 * A held prop wears its holder's name in their colour. Props can be picked only while editing, so
 * they never come between a pointer and a document otherwise.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import type { Ray } from '@babylonjs/core/Culling/ray';
import { Matrix, Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import '@babylonjs/core/Meshes/thinInstanceMesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { PropState } from '../../../shared/schema/WorldState';
import type { Quat, Vec3 } from '../../../shared/protocol';
import type { StateCallbacks, WorldSession } from '../../net/session';
import { approachFactor } from '../interpolation';
import { createLabel, disposeLabel } from '../labels';
import { PROPS_NODE } from '../environment';
import { PropModels } from './PropModels';

const SMOOTHING_HALF_LIFE_MS = 60;

/** What the lighting does with props, wired by the world view when there is lighting to wire. */
export interface PropLayerHooks {
  /** A kind's mesh is ready (e.g. to cast shadows). */
  onMeshReady?(mesh: Mesh): void;
  /** Props moved, came or went this frame (e.g. shadows to redraw). */
  onMoved?(): void;
  /** Draw models in plain lit materials (the light graphics tier, see graphics.ts). */
  plainModels?: boolean;
}

/** A prop as drawn now. */
export interface ShownProp {
  id: string;
  kind: string;
  position: Vector3;
  rotation: Quaternion;
  scale: number;
  heldBy: string;
}

interface View extends ShownProp {
  target: { position: Vector3; rotation: Quaternion; scale: number };
  /** Moved by this browser's own drag: the server's echo of it is not waited for. */
  local: boolean;
  badge: { mesh: Mesh; key: string } | null;
}

interface Batch {
  mesh: Mesh | null;
  ids: string[];
  dirty: boolean;
  /** The model's height at scale 1 (its top above its feet), for the holder's badge. */
  height: number;
}

export class PropLayer {
  private readonly views = new Map<string, View>();
  private readonly batches = new Map<string, Batch>();
  private readonly models: PropModels;
  private readonly unsubscribe: Array<() => void> = [];
  private editing = false;
  private readonly matrix = new Matrix();
  /** Every kind's mesh hangs under this node, so the room's furniture can be shown or hidden at once. */
  private readonly root: TransformNode;

  constructor(
    readonly scene: Scene,
    private readonly session: WorldSession,
    notify: (message: string) => void,
    private readonly hooks: PropLayerHooks = {},
  ) {
    this.models = new PropModels(scene, session.state.worldId, notify, hooks.plainModels ?? false);
    this.root = new TransformNode(PROPS_NODE, scene);
  }

  attach(callbacks: StateCallbacks): void {
    this.unsubscribe.push(
      callbacks.onAdd('props', (prop, id) => {
        this.add(id, prop);
        this.unsubscribe.push(callbacks.onChange(prop, () => this.apply(id, prop)));
      }),
      callbacks.onRemove('props', (_prop, id) => this.remove(id)),
    );
  }

  /** The props as drawn now, by id. */
  get shown(): ReadonlyMap<string, ShownProp> {
    return this.views;
  }

  /** Each kind in the world: drawn from its model, from a stand-in box, or still loading; and how many of it. */
  kinds(): { kind: string; drawnFrom: 'model' | 'box' | 'loading'; instances: number }[] {
    return [...this.batches].map(([kind, b]) => ({ kind, drawnFrom: b.mesh ? (b.mesh.name.startsWith('prop-box') ? 'box' : 'model') : 'loading', instances: b.ids.length }));
  }

  /** A kind's height at scale 1, once its model is in (1 until then). */
  heightOf(kind: string): number {
    return this.batches.get(kind)?.height ?? 1;
  }

  /** While editing, props can be picked; otherwise pointers pass through them. */
  setEditing(on: boolean): void {
    this.editing = on;
    for (const batch of this.batches.values()) if (batch.mesh) batch.mesh.isPickable = on;
  }

  /** The prop under a canvas point, while editing. */
  pickAt(x: number, y: number, camera: Camera): string | null {
    if (!this.editing) return null;
    return this.idOf(this.scene.pick(x, y, (m) => this.isPropMesh(m), false, camera));
  }

  /** The prop along a ray (a controller's), whether or not editing is on (the caller decides). */
  pickRay(ray: Ray): string | null {
    return this.idOf(this.scene.pickWithRay(ray, (m) => this.isPropMesh(m)));
  }

  isPropMesh(mesh: AbstractMesh): boolean {
    return mesh.isEnabled() && (mesh.metadata as { propKind?: string } | null)?.propKind !== undefined;
  }

  /** The prop a pick of a prop mesh hit (by its thin instance). */
  idOf(pick: { hit: boolean; pickedMesh: AbstractMesh | null; thinInstanceIndex?: number } | null): string | null {
    if (!pick?.hit || !pick.pickedMesh) return null;
    const kind = (pick.pickedMesh.metadata as { propKind?: string } | null)?.propKind;
    const batch = kind === undefined ? undefined : this.batches.get(kind);
    return batch?.ids[pick.thinInstanceIndex ?? -1] ?? null;
  }

  /** Shows this browser's own move at once; the server's copy follows. */
  moveLocally(id: string, position: Vec3, rotation: Quat, scale: number): void {
    const view = this.views.get(id);
    if (!view) return;
    view.local = true;
    view.position.set(...position);
    view.rotation.set(...rotation);
    view.scale = scale;
    view.target = { position: view.position.clone(), rotation: view.rotation.clone(), scale };
    this.markDirty(view.kind);
  }

  /** Ends a local move: from now on the prop follows the server again. */
  setLocal(id: string, on: boolean): void {
    const view = this.views.get(id);
    if (view) view.local = on;
  }

  private add(id: string, prop: PropState): void {
    const position = new Vector3(prop.x, prop.y, prop.z);
    const rotation = new Quaternion(prop.qx, prop.qy, prop.qz, prop.qw);
    const view: View = { id, kind: prop.kind, position, rotation, scale: prop.scale, heldBy: prop.heldBy, target: { position: position.clone(), rotation: rotation.clone(), scale: prop.scale }, local: false, badge: null };
    this.views.set(id, view);
    let batch = this.batches.get(prop.kind);
    if (!batch) {
      const fresh: Batch = { mesh: null, ids: [], dirty: true, height: 1 };
      batch = fresh;
      this.batches.set(prop.kind, fresh);
      this.models
        .mesh(prop.kind)
        .then((mesh) => this.ready(prop.kind, fresh, mesh))
        .catch(() => undefined);
    }
    batch.ids.push(id);
    batch.dirty = true;
  }

  private ready(kind: string, batch: Batch, mesh: Mesh): void {
    if (this.batches.get(kind) !== batch) return void mesh.dispose(false, true);
    mesh.metadata = { propKind: kind };
    mesh.parent = this.root;
    mesh.isPickable = this.editing;
    mesh.thinInstanceEnablePicking = true;
    batch.height = mesh.getBoundingInfo().boundingBox.maximum.y;
    batch.mesh = mesh;
    batch.dirty = true;
    this.hooks.onMeshReady?.(mesh);
  }

  private apply(id: string, prop: PropState): void {
    const view = this.views.get(id);
    if (!view) return;
    view.heldBy = prop.heldBy;
    view.target = { position: new Vector3(prop.x, prop.y, prop.z), rotation: new Quaternion(prop.qx, prop.qy, prop.qz, prop.qw), scale: prop.scale };
  }

  private remove(id: string): void {
    const view = this.views.get(id);
    if (!view) return;
    this.views.delete(id);
    if (view.badge) disposeLabel(view.badge.mesh);
    const batch = this.batches.get(view.kind);
    if (batch) {
      batch.ids = batch.ids.filter((i) => i !== id);
      batch.dirty = true;
    }
  }

  private markDirty(kind: string): void {
    const batch = this.batches.get(kind);
    if (batch) batch.dirty = true;
  }

  /** Per frame: smoothing towards the server's places, holder badges, and instance buffers that changed. */
  update(dtMs: number): void {
    const k = approachFactor(dtMs, SMOOTHING_HALF_LIFE_MS);
    for (const view of this.views.values()) {
      if (!view.local && this.approach(view, k)) this.markDirty(view.kind);
      this.updateBadge(view);
    }
    let moved = false;
    for (const batch of this.batches.values()) if (batch.dirty && batch.mesh) moved = this.rebuild(batch, batch.mesh) || moved;
    if (moved) this.hooks.onMoved?.();
  }

  /** Moves a view part of the way to its target; true when it moved at all. */
  private approach(view: View, k: number): boolean {
    const { target } = view;
    if (view.position.equalsWithEpsilon(target.position, 1e-4) && Math.abs(Quaternion.Dot(view.rotation, target.rotation)) > 1 - 1e-7 && Math.abs(view.scale - target.scale) < 1e-4) return false;
    const close = Vector3.Distance(view.position, target.position) < 1e-3;
    view.position = close ? target.position.clone() : Vector3.Lerp(view.position, target.position, k);
    view.rotation = close ? target.rotation.clone() : Quaternion.Slerp(view.rotation, target.rotation, k);
    view.scale = close ? target.scale : view.scale + (target.scale - view.scale) * k;
    return true;
  }

  private rebuild(batch: Batch, mesh: Mesh): boolean {
    batch.dirty = false;
    mesh.setEnabled(batch.ids.length > 0);
    if (!batch.ids.length) {
      mesh.thinInstanceCount = 0;
      return true;
    }
    const buffer = new Float32Array(batch.ids.length * 16);
    batch.ids.forEach((id, i) => {
      const view = this.views.get(id);
      if (!view) return;
      Matrix.ComposeToRef(new Vector3(view.scale, view.scale, view.scale), view.rotation, view.position, this.matrix);
      this.matrix.copyToArray(buffer, i * 16);
    });
    mesh.thinInstanceSetBuffer('matrix', buffer, 16, false);
    // culling and picking go by the instances' bounds, not the model's at the origin
    mesh.thinInstanceRefreshBoundingInfo(false);
    return true;
  }

  private updateBadge(view: View): void {
    const holder = view.heldBy ? this.session.state.participants.get(view.heldBy) : undefined;
    const key = view.heldBy ? `${holder?.name ?? 'someone'}|${holder?.colour ?? ''}` : '';
    if (view.badge && view.badge.key !== key) {
      disposeLabel(view.badge.mesh);
      view.badge = null;
    }
    if (key && !view.badge) {
      const mesh = createLabel(this.scene, `prop-holder-${view.id}`, `Moved by ${holder?.name ?? 'someone'}`, holder?.colour || '#888888', { width: 0.8, billboard: true });
      view.badge = { mesh, key };
    }
    if (view.badge) {
      const top = this.batches.get(view.kind)?.height ?? 1;
      view.badge.mesh.position.set(view.position.x, view.position.y + top * view.scale + 0.25, view.position.z);
    }
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    for (const view of this.views.values()) if (view.badge) disposeLabel(view.badge.mesh);
    this.views.clear();
    this.batches.clear();
    this.models.dispose();
    this.root.dispose();
  }
}
