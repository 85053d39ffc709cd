/**
 * The desktop (and phone) first-person view: WASD or arrow keys to walk, Q/E or drag to turn and
 * look, one finger to turn and walk on a touch screen. The camera stays at eye height inside the room.
 */
import type { Scene } from '@babylonjs/core/scene';
import { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import type { Pose } from '../../shared/protocol';
import { leaveKeysToTextFields } from './keyboardFocus';

export const EYE_HEIGHT = 1.6;
/** How close to a wall the eye may come, in metres. */
const WALL_MARGIN = 0.35;
const KEY = { W: 87, A: 65, S: 83, D: 68, Q: 81, E: 69, UP: 38, DOWN: 40, LEFT: 37, RIGHT: 39 } as const;
/** The look may not go past straight up or down (that flips the view). */
const MAX_PITCH = Math.PI / 2 - 0.05;

export function createFirstPersonCamera(scene: Scene, canvas: HTMLCanvasElement, start: Pose): UniversalCamera {
  const camera = new UniversalCamera('eye', new Vector3(start[0], EYE_HEIGHT, start[2]), scene);
  const euler = new Quaternion(start[3], start[4], start[5], start[6]).toEulerAngles();
  camera.rotation.set(euler.x, euler.y, 0);
  camera.minZ = 0.05;
  camera.maxZ = 100;
  camera.fov = 1.0;
  camera.speed = 0.12;
  camera.inertia = 0.75;
  // looking should stop when the hand stops: a long rotation glide multiplies every drag and
  // makes the view overshoot. With this glide (x1.4) a drag of ~700 px turns the view one radian.
  camera.movement.rotationInertia = 0.3;
  camera.angularSensibility = 1000;
  camera.keysUp = [KEY.W, KEY.UP];
  camera.keysDown = [KEY.S, KEY.DOWN];
  camera.keysLeft = [KEY.A, KEY.LEFT];
  camera.keysRight = [KEY.D, KEY.RIGHT];
  camera.keysRotateLeft = [KEY.Q];
  camera.keysRotateRight = [KEY.E];
  leaveKeysToTextFields(scene);
  camera.attachControl(canvas, true);
  return camera;
}

/** Keeps the eye at standing height, inside the walls, and the look from flipping over. */
export function keepInsideRoom(camera: UniversalCamera): void {
  const limit = ROOM_HALF_SIZE - WALL_MARGIN;
  const p = camera.position;
  p.x = Math.min(limit, Math.max(-limit, p.x));
  p.z = Math.min(limit, Math.max(-limit, p.z));
  p.y = EYE_HEIGHT;
  camera.rotation.x = Math.min(MAX_PITCH, Math.max(-MAX_PITCH, camera.rotation.x));
  camera.rotation.z = 0;
}

/** The camera as a head pose for the server: position and rotation quaternion. */
export function headPose(camera: UniversalCamera): Pose {
  const p = camera.position;
  const q = Quaternion.FromEulerAngles(camera.rotation.x, camera.rotation.y, camera.rotation.z);
  return [p.x, p.y, p.z, q.x, q.y, q.z, q.w];
}
