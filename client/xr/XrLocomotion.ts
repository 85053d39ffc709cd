/**
 * Moving about in VR, made comfortable: teleports keep the way the person faces, the head stays
 * inside the room's walls however it moves (stick, teleport or real steps), and the comfort ring
 * darkens the edge of the view while the sticks walk or turn the person.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Quaternion } from '@babylonjs/core/Maths/math.vector';
import type { WebXRCamera } from '@babylonjs/core/XR/webXRCamera';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import type { WebXRMotionControllerTeleportation } from '@babylonjs/core/XR/features/WebXRControllerTeleportation.pure';
import type { Quat } from '../../shared/protocol';
import { ComfortVignette } from './ComfortVignette';
import { clampToRoom, headingAfterTeleport } from './locomotion';
import type { XrSettings } from './xrSettings';

/**
 * Babylon's teleport turns the camera by half a turn in a right-handed scene unless its own
 * aim-turning is on (which this product leaves off: turning is the snap turn's job). The rotation
 * from before the jump is put back once it has landed.
 */
export function keepHeadingOnTeleport(teleport: WebXRMotionControllerTeleportation, camera: WebXRCamera): void {
  let before: Quat | null = null;
  teleport.onBeforeCameraTeleport.add(() => {
    const q = camera.rotationQuaternion;
    before = [q.x, q.y, q.z, q.w];
  });
  teleport.onAfterCameraTeleport.add(() => {
    if (!before) return;
    camera.rotationQuaternion.copyFrom(Quaternion.FromArray(headingAfterTeleport(before)));
    before = null;
  });
}

const stickOf = (source: WebXRInputSource | undefined) => source?.motionController?.getComponentOfType('thumbstick')?.axes ?? null;

export class XrLocomotion {
  private readonly vignette: ComfortVignette;
  private last = 0;

  constructor(
    scene: Scene,
    private readonly camera: WebXRCamera,
  ) {
    this.vignette = new ComfortVignette(scene, camera);
  }

  /** How dark the comfort ring is now, 0..1. */
  get vignetteLevel(): number {
    return this.vignette.level;
  }

  /** Every frame in VR, after everything else has moved the camera. */
  update(sources: readonly WebXRInputSource[], settings: XrSettings, now: number): void {
    const dt = this.last ? (now - this.last) / 1000 : 0;
    this.last = now;
    const p = this.camera.position;
    const [x, z] = clampToRoom(p.x, p.z);
    if (x !== p.x || z !== p.z) p.set(x, p.y, z);
    // the left stick walks in smooth locomotion; the right one turns (smoothly when snap is off)
    const walk = settings.locomotion === 'smooth' ? stickOf(sources.find((c) => c.inputSource.handedness === 'left')) : null;
    const turn = stickOf(sources.find((c) => c.inputSource.handedness === 'right'));
    this.vignette.update(walk ? [walk.x, walk.y] : [0, 0], turn?.x ?? 0, settings.locomotion === 'smooth' && settings.snapDegrees === 0, settings.vignette, dt);
  }

  /** Leaving VR: the ring goes and the frame clock restarts. */
  reset(): void {
    this.last = 0;
    this.vignette.update([0, 0], 0, false, false, 0);
  }

  dispose(): void {
    this.vignette.dispose();
  }
}
