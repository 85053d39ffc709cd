/**
 * Turning and scaling the document you hold: Q/E or shift+wheel turn it about its vertical axis,
 * the wheel scales it. While something is held Q and E belong to it, so the camera gives them up.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { KeyboardEventTypes, type KeyboardInfo } from '@babylonjs/core/Events/keyboardEvents';
import { PointerEventTypes, type PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import type { Observer } from '@babylonjs/core/Misc/observable';

const KEY_TURN = Math.PI / 12;
const WHEEL_TURN = Math.PI / 18;
const WHEEL_SCALE = 1.1;

export interface HeldTarget {
  /** Positive turns counter-clockwise seen from above. */
  turn(radians: number): void;
  scale(factor: number): void;
}

export class HoldGestures {
  private target: HeldTarget | null = null;
  private savedKeys: { left: number[]; right: number[] } | null = null;
  private readonly keys: Observer<KeyboardInfo>;
  private readonly wheel: Observer<PointerInfoPre>;

  constructor(
    scene: Scene,
    private readonly camera: UniversalCamera,
  ) {
    this.keys = scene.onKeyboardObservable.add((info) => this.onKey(info));
    this.wheel = scene.onPrePointerObservable.add((info) => this.onWheel(info), PointerEventTypes.POINTERWHEEL);
  }

  /** Gestures now act on `target` (null when nothing is held any more). */
  hold(target: HeldTarget | null): void {
    this.target = target;
    if (target && !this.savedKeys) {
      this.savedKeys = { left: this.camera.keysRotateLeft, right: this.camera.keysRotateRight };
      this.camera.keysRotateLeft = [];
      this.camera.keysRotateRight = [];
    } else if (!target && this.savedKeys) {
      this.camera.keysRotateLeft = this.savedKeys.left;
      this.camera.keysRotateRight = this.savedKeys.right;
      this.savedKeys = null;
    }
  }

  private onKey(info: KeyboardInfo): void {
    if (info.type !== KeyboardEventTypes.KEYDOWN || !this.target) return;
    const key = info.event.key.toLowerCase();
    if (key === 'q') this.target.turn(KEY_TURN);
    else if (key === 'e') this.target.turn(-KEY_TURN);
  }

  private onWheel(info: PointerInfoPre): void {
    if (!this.target) return;
    const event = info.event as unknown as WheelEvent;
    info.skipOnPointerObservable = true;
    event.preventDefault?.();
    // with shift held, some browsers report the wheel as horizontal scrolling
    const delta = event.deltaY || event.deltaX;
    if (!delta) return;
    if (event.shiftKey) this.target.turn(Math.sign(delta) * WHEEL_TURN);
    else this.target.scale(delta < 0 ? WHEEL_SCALE : 1 / WHEEL_SCALE);
  }

  dispose(): void {
    this.hold(null);
    this.keys.remove();
    this.wheel.remove();
  }
}
