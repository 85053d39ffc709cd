/**
 * Controls (client/input/controls.ts) in VR and AR: a controller's ray and trigger, a pinch aimed
 * with a tracked hand, and a fingertip touching a control all press it, and whatever the ray or a
 * fingertip is over is lit (client/input/controlHover.ts). Also the look of the ray: a bright beam
 * on the hand the person last used, and a ring with a dot where it meets something.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { Ray } from '@babylonjs/core/Culling/ray';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { CreateCylinder } from '@babylonjs/core/Meshes/Builders/cylinderBuilder';
import { CreateTorus } from '@babylonjs/core/Meshes/Builders/torusBuilder';
import type { IWebXRControllerPointerSelectionOptions, WebXRControllerPointerSelection } from '@babylonjs/core/XR/features/WebXRControllerPointerSelection.pure';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { controlMeshOf, controlOf, pressableControls } from '../scene/controls';
import { ControlHover, HOVER_COLOUR } from '../input/controlHover';
import { pointable } from '../input/MouseControls';
import { TOUCH, TouchLatch } from '../input/pointing';

const RAY_LENGTH = 12;
const RAY_COLOUR = Color3.FromHexString('#4fc3ff');

/** Options for Babylon's pointer selection: a beam thick enough to see, and a clear cursor. */
export function pointerLook(scene: Scene): Partial<IWebXRControllerPointerSelectionOptions> {
  return {
    preferredHandedness: 'right',
    // drawn after the room, so the cursor never sinks into the surface it lies on
    renderingGroupId: 1,
    // Babylon stretches this along the ray: 1 long, thin at the hand (top), wider at the far end
    customLasterPointerMeshGenerator: () => CreateCylinder('xr-ray', { height: 1, diameterTop: 0.003, diameterBottom: 0.012, tessellation: 12 }, scene),
    // one mesh (Babylon shows, hides and colours it as a whole): a ring lying on the surface hit,
    // with a dot at its centre
    customSelectionMeshGenerator: () => {
      const ring = CreateTorus('xr-cursor-ring', { diameter: 0.03, thickness: 0.006, tessellation: 24 }, scene);
      const dot = CreateCylinder('xr-cursor-dot', { height: 0.001, diameter: 0.008, tessellation: 16 }, scene);
      return Mesh.MergeMeshes([ring, dot], true) ?? ring;
    },
  };
}

/** Colours of the beam and cursor: blue at rest, the hover colour while the trigger is held. */
export function stylePointer(pointer: WebXRControllerPointerSelection): void {
  pointer.laserPointerDefaultColor = RAY_COLOUR;
  pointer.selectionMeshDefaultColor = RAY_COLOUR;
  pointer.laserPointerPickedColor = Color3.FromHexString(HOVER_COLOUR);
  pointer.selectionMeshPickedColor = Color3.FromHexString(HOVER_COLOUR);
  pointer.displayLaserPointer = true;
  pointer.displaySelectionMesh = true;
}

const handOf = (source: WebXRInputSource): 'left' | 'right' | undefined => {
  const h = source.inputSource.handedness;
  return h === 'left' || h === 'right' ? h : undefined;
};

/** How far a point is from a mesh's (oriented) bounding box, in world units. */
function distanceToBox(point: Vector3, mesh: AbstractMesh): number {
  const world = mesh.computeWorldMatrix(true);
  const box = mesh.getBoundingInfo().boundingBox;
  const local = Vector3.TransformCoordinates(point, Matrix.Invert(world));
  const closest = Vector3.TransformCoordinates(Vector3.Clamp(local, box.minimum, box.maximum), world);
  return Vector3.Distance(closest, point);
}

export class XrControlsRouting {
  private readonly hover: ControlHover;
  private readonly latch = new TouchLatch<AbstractMesh>();
  /** The control each input source's ray or fingertip is over, for the probe. */
  private readonly over = new Map<string, AbstractMesh>();

  constructor(
    private readonly scene: Scene,
    private readonly pointer: WebXRControllerPointerSelection,
    /** Where a tracked hand's index fingertip is, or null for controllers. */
    private readonly fingertip: (source: WebXRInputSource) => Vector3 | null,
  ) {
    this.hover = ControlHover.of(scene);
    stylePointer(pointer);
  }

  /**
   * A select (trigger, or pinch) began: the ray moves to that hand, and when it points at a control
   * the control is pressed. True when it was a control, so the select grabs nothing.
   */
  select(source: WebXRInputSource): boolean {
    if (this.pointer.attachedControllerId !== source.uniqueId) this.pointer.setAttachedController(source.uniqueId);
    // a fingertip resting on a control has pressed it already
    if (this.latch.isTouching(source.uniqueId)) return true;
    const control = controlOf(this.rayPick(source));
    if (!control) return false;
    control.press(source.inputSource.hand ? 'pinch' : 'ray', handOf(source));
    return true;
  }

  /** Every frame: light what the ray and fingertips are over; a fingertip touching a control presses it. */
  update(sources: readonly WebXRInputSource[]): void {
    const controls = pressableControls();
    for (const source of sources) {
      const id = source.uniqueId;
      const tip = this.fingertip(source);
      let touched: AbstractMesh | null = null;
      let distance = Infinity;
      if (tip) {
        const distances = controls.map((m) => [m, distanceToBox(tip, m)] as const);
        for (const [m, d] of distances) if (d < distance) [touched, distance] = [m, d];
        const pressed = this.latch.update(id, distances);
        if (pressed) controlOf(pressed)?.press('touch', handOf(source));
      }
      const near = touched && distance <= TOUCH.hover ? touched : null;
      const aimed = this.pointer.attachedControllerId === id ? controlMeshOf(this.rayPick(source)) : null;
      const over = near ?? aimed;
      this.hover.point(`xr:${id}`, over);
      if (over) this.over.set(id, over);
      else this.over.delete(id);
    }
  }

  /** The label of the control an input source's ray or fingertip is over, if any. */
  pointingAt(source: WebXRInputSource): string | null {
    const mesh = this.over.get(source.uniqueId);
    return mesh ? (controlOf(mesh)?.label ?? null) : null;
  }

  /** An input source went away. */
  lost(source: WebXRInputSource): void {
    this.hover.point(`xr:${source.uniqueId}`, null);
    this.latch.forget(source.uniqueId);
    this.over.delete(source.uniqueId);
  }

  /** The session ended: nothing is pointed at any more. */
  reset(): void {
    this.hover.forget('xr:');
    this.over.clear();
  }

  /** One ray, reused: it is aimed every frame. */
  private readonly ray = new Ray(Vector3.Zero(), Vector3.Forward(), RAY_LENGTH);

  private rayPick(source: WebXRInputSource): AbstractMesh | null {
    const ray = this.ray;
    source.getWorldPointerRayToRef(ray);
    ray.length = RAY_LENGTH;
    const pick = this.scene.pickWithRay(ray, pointable);
    return pick?.hit ? pick.pickedMesh : null;
  }
}
