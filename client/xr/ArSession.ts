/**
 * One AR session's own parts, kept out of the rig: placing (ArPlacement), the two-handed pinch
 * that resizes and turns the placed workspace, and — where the browser offers no DOM overlay, as
 * on a Quest — the hint and buttons drawn in the world (ArButtons).
 */
import type { Scene } from '@babylonjs/core/scene';
import type { WebXRCamera } from '@babylonjs/core/XR/webXRCamera';
import type { WebXRSessionManager } from '@babylonjs/core/XR/webXRSessionManager';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import type { WebXRHitTest } from '@babylonjs/core/XR/features/WebXRHitTest.pure';
import type { WebXRAnchorSystem } from '@babylonjs/core/XR/features/WebXRAnchorSystem.pure';
import type { WebXRPlaneDetector } from '@babylonjs/core/XR/features/WebXRPlaneDetector.pure';
import type { Vec3 } from '../../shared/protocol';
import type { PlacedControl } from '../scene/controls';
import { ArButtons } from './ArButtons';
import { ArPlacement } from './ArPlacement';
import { contentBoxes } from './arContent';

export interface ArSessionHost {
  scene: Scene;
  camera: WebXRCamera;
  session: WebXRSessionManager;
  hitTest: WebXRHitTest;
  anchors: WebXRAnchorSystem | null;
  planes: WebXRPlaneDetector | null;
  /** Ends the XR session (the Exit button). */
  exit(): void;
  /** Called when the hint, placement or size changed. */
  changed(): void;
}

/** AR's state as the person sees it: the workspace's size, the hint, what the content spans. */
export interface ArState {
  scale: number;
  lifeSize: boolean;
  hint: string;
  contentBox: { min: Vec3; max: Vec3 } | null;
}

/** Where a hand is this frame: its matrix may not be updated yet since the world's scale changed. */
const positionOf = (source: WebXRInputSource): Vec3 => {
  const node = source.grip ?? source.pointer;
  node.computeWorldMatrix(true);
  const p = node.absolutePosition;
  return [p.x, p.y, p.z];
};

export class ArSession {
  readonly placement: ArPlacement;
  private buttons: ArButtons | null = null;
  /** Sources whose select (trigger, pinch, screen touch) is down, in the order they went down. */
  private readonly selecting: WebXRInputSource[] = [];

  constructor(private readonly host: ArSessionHost) {
    this.placement = new ArPlacement(host.scene, host.camera, host.session, host.hitTest, host.anchors, host.planes, () => contentBoxes(host.scene));
    this.placement.onChange = () => {
      this.buttons?.refresh();
      host.changed();
    };
  }

  /** Once the session runs: draws the hint and buttons in the world when there is no DOM overlay. */
  started(): void {
    const overlay = this.host.session.session.domOverlayState;
    if (overlay && overlay.type !== null) return;
    this.buttons = new ArButtons(this.host.scene, {
      hint: () => this.placement.hint,
      lifeSize: () => this.placement.lifeSize,
      placeAgain: () => this.placement.reset(),
      toggleLifeSize: () => this.placement.setLifeSize(!this.placement.lifeSize),
      exit: () => this.host.exit(),
    });
  }

  /**
   * A select (trigger, pinch, screen touch) not aimed at a control, starting or ending. True when
   * AR used it: the first tap places the workspace, and a second hand joining makes a pinch rather than a grab. `release`
   * lets go of whatever the first hand grabbed.
   */
  select(source: WebXRInputSource, down: boolean, release: (source: WebXRInputSource) => void): boolean {
    const at = this.selecting.indexOf(source);
    if (!down) {
      if (at >= 0) this.selecting.splice(at, 1);
      return false;
    }
    if (at < 0) this.selecting.push(source);
    if (!this.placement.placed) {
      this.placement.place();
      return true;
    }
    if (this.selecting.length === 2) {
      release(this.selecting[0]!);
      return true;
    }
    return false;
  }

  /** Every frame: the pinch resizes and turns; the in-world card follows the left hand. */
  update(sources: readonly WebXRInputSource[]): void {
    for (let i = this.selecting.length - 1; i >= 0; i--) if (!sources.includes(this.selecting[i]!)) this.selecting.splice(i, 1);
    const [a, b] = this.selecting;
    this.placement.pinch(a && b ? [positionOf(a), positionOf(b)] : null);
    if (!this.buttons) return;
    const camera = this.host.camera;
    const left = sources.find((s) => s.inputSource.handedness === 'left');
    const hand = left ? (left.grip ?? left.pointer).absolutePosition : null;
    this.buttons.follow(camera.globalPosition, camera.getForwardRay(1).direction, hand, this.host.session.worldScalingFactor);
  }

  /** The workspace's size, the hint and what the content spans, as they are now. */
  get state(): ArState {
    const p = this.placement;
    return { scale: p.scale, lifeSize: p.lifeSize, hint: p.hint, contentBox: p.contentBox };
  }

  /** The buttons drawn in the world, when there is no DOM overlay to hold them (null then). */
  get buttonPlaces(): PlacedControl[] | null {
    return this.buttons?.placedButtons ?? null;
  }

  dispose(): void {
    this.buttons?.dispose();
    this.buttons = null;
    this.placement.dispose();
  }
}
