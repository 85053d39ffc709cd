/**
 * Snap turning for comfort: pushing the thumbstick sideways past a threshold turns the view by a
 * fixed step once; the stick has to come back near the centre before it can turn again. Turning
 * happens about the head, so the person stays where they stand.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { multiplyQuat, rotateAboutY, yawQuat } from './xrMaths';

/** How far sideways the stick must go to turn, and how far back to re-arm. */
const PRESS = 0.7;
const RELEASE = 0.3;

export class SnapTurn {
  private armed = true;

  /** Feed the stick's x axis every frame; returns -1 (turn left), 1 (turn right) or 0. */
  update(x: number): -1 | 0 | 1 {
    if (!this.armed) {
      if (Math.abs(x) < RELEASE) this.armed = true;
      return 0;
    }
    if (Math.abs(x) < PRESS) return 0;
    this.armed = false;
    return x > 0 ? 1 : -1;
  }
}

/**
 * Where the rig (the XR camera) goes for a turn of `steps` steps of `degrees` each about the head:
 * right is clockwise seen from above, i.e. a negative yaw.
 */
export function snapTurnRig(rig: { position: Vec3; rotation: Quat }, head: Vec3, steps: number, degrees: number): { position: Vec3; rotation: Quat } {
  const angle = (-steps * degrees * Math.PI) / 180;
  return { position: rotateAboutY(rig.position, head, angle), rotation: multiplyQuat(yawQuat(angle), rig.rotation) };
}
