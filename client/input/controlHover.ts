/**
 * Hover highlighting for every control, whatever points at it: the mouse, a controller's ray, a
 * fingertip coming near. A hovered control grows a little and a bright frame lights up behind it,
 * so a person in a headset sees what the trigger or a touch will press; the control's own hover()
 * is told as well. One per scene, shared by the mouse and XR routing.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { controlMeshOf, controlOf } from './controls';
import { HoverSet } from './pointing';

/** How much a hovered control grows, and how far its frame reaches past its edges (metres). */
const GROW = 1.1;
const FRAME_MARGIN = 0.018;
export const HOVER_COLOUR = '#ffb300';

interface Lit {
  scaling: Vector3;
  frame: Mesh | null;
}

export class ControlHover {
  private readonly hovers = new HoverSet<AbstractMesh>();
  private readonly lit = new Map<AbstractMesh, Lit>();
  private material: StandardMaterial | null = null;

  private constructor(private readonly scene: Scene) {}

  private static readonly perScene = new WeakMap<Scene, ControlHover>();

  /** The hover state of a scene (made on first use). */
  static of(scene: Scene): ControlHover {
    let hover = ControlHover.perScene.get(scene);
    if (!hover) ControlHover.perScene.set(scene, (hover = new ControlHover(scene)));
    return hover;
  }

  /** Pointer `pointer` is over `mesh` now (any mesh, or null); returns the control mesh it is over. */
  point(pointer: string, mesh: AbstractMesh | null): AbstractMesh | null {
    const control = controlMeshOf(mesh);
    const { entered, left } = this.hovers.point(pointer, control);
    for (const m of left) this.light(m, false);
    for (const m of entered) this.light(m, true);
    return control;
  }

  /** Pointers named with this prefix are gone (e.g. 'xr:' when a session ends). */
  forget(prefix: string): void {
    for (const m of this.hovers.forget(prefix)) this.light(m, false);
  }

  /** Whether a control mesh is lit as hovered (for tests). */
  isLit(mesh: AbstractMesh): boolean {
    return this.lit.has(mesh);
  }

  /** Labels of the controls hovered now (for tests). */
  hovered(): string[] {
    return [...this.lit.keys()].map((m) => controlOf(m)?.label ?? m.name);
  }

  private light(mesh: AbstractMesh, on: boolean): void {
    controlOf(mesh)?.hover?.(on);
    if (on) {
      if (this.lit.has(mesh) || mesh.isDisposed()) return;
      this.lit.set(mesh, { scaling: mesh.scaling.clone(), frame: this.frame(mesh) });
      mesh.scaling.scaleInPlace(GROW);
      return;
    }
    const lit = this.lit.get(mesh);
    if (!lit) return;
    this.lit.delete(mesh);
    if (lit.frame && !lit.frame.isDisposed()) lit.frame.dispose();
    if (!mesh.isDisposed()) mesh.scaling.copyFrom(lit.scaling);
  }

  /** A bright plate just behind the control (on the side away from the eye), a little larger. */
  private frame(mesh: AbstractMesh): Mesh | null {
    const box = mesh.getBoundingInfo().boundingBox;
    const size = box.extendSize;
    if (size.x < 1e-4 || size.y < 1e-4) return null;
    const world = mesh.computeWorldMatrix(true);
    const scale = Math.max(1e-3, Math.abs(mesh.absoluteScaling.x));
    const eye = this.scene.activeCamera?.globalPosition ?? Vector3.Zero();
    const local = Vector3.TransformCoordinates(eye, Matrix.Invert(world));
    const behind = local.z - box.center.z >= 0 ? -1 : 1;
    const frame = CreatePlane(`${mesh.name}-hover`, { width: 1, height: 1, sideOrientation: Mesh.DOUBLESIDE }, this.scene);
    frame.parent = mesh;
    frame.isPickable = false;
    frame.scaling.set(2 * size.x + (2 * FRAME_MARGIN) / scale, 2 * size.y + (2 * FRAME_MARGIN) / scale, 1);
    frame.position.set(box.center.x, box.center.y, box.center.z + behind * (size.z + 0.004 / scale));
    frame.material = this.frameMaterial();
    return frame;
  }

  private frameMaterial(): StandardMaterial {
    if (this.material && !this.material.isFrozen && this.material.getScene() === this.scene) return this.material;
    const m = new StandardMaterial('control-hover', this.scene);
    m.disableLighting = true;
    m.emissiveColor = Color3.FromHexString(HOVER_COLOUR);
    m.backFaceCulling = false;
    this.material = m;
    return m;
  }
}
