/**
 * AR on a phone or passthrough headset: a reticle follows the hit-test result on real surfaces;
 * a tap places the world's content there, by default as a tabletop miniature (miniature.ts), or
 * life size. The content keeps its world coordinates: the viewer is moved, and for the miniature
 * the session's world scale grows so a real metre spans many world metres. A two-handed (or
 * two-finger) pinch resizes and turns it. Where the browser offers anchors, an anchor is created
 * at the tapped point and followed: when the browser refines where that real point is, the viewer
 * moves so the workspace stays on it.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateTorus } from '@babylonjs/core/Meshes/Builders/torusBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { WebXRCamera } from '@babylonjs/core/XR/webXRCamera';
import type { WebXRSessionManager } from '@babylonjs/core/XR/webXRSessionManager';
import type { IWebXRHitResult, WebXRHitTest } from '@babylonjs/core/XR/features/WebXRHitTest.pure';
import type { IWebXRAnchor, WebXRAnchorSystem } from '@babylonjs/core/XR/features/WebXRAnchorSystem.pure';
import type { Vec3 } from '../../shared/protocol';
import type { WebXRPlaneDetector } from '@babylonjs/core/XR/features/WebXRPlaneDetector.pure';
import { PlaneView } from './PlaneView';
import { anchorCorrection, facingTurn, moveRig, type RigPose } from './placement';
import { type Box, type Span, arHint, boxAnchor, footprintRadius, miniatureScale, miniatureSpot, pinchStep, spanOf, unionBox } from './miniature';
import { yawOf } from './xrMaths';

export class ArPlacement {
  readonly reticle: Mesh;
  private lastHit: IWebXRHitResult | null = null;
  private anchor: IWebXRAnchor | null = null;
  private readonly planes: PlaneView | null;
  private span: Span | null = null;
  /** Where the workspace anchor ended up (world coordinates), once placed. */
  placedAt: Vec3 | null = null;
  /** Where on the real surface it was placed (before the move), for the probe. */
  hitAt: Vec3 | null = null;
  /** The content's world box when it was placed, for the probe. */
  contentBox: Box | null = null;
  /** Whether the next placement (or this one) is life size rather than a miniature. */
  lifeSize = false;
  /** Called whenever placed, scale or life size change (the hint and buttons follow). */
  onChange: () => void = () => undefined;

  constructor(
    scene: Scene,
    private readonly camera: WebXRCamera,
    private readonly session: WebXRSessionManager,
    hitTest: WebXRHitTest,
    private readonly anchors: WebXRAnchorSystem | null,
    planes: WebXRPlaneDetector | null,
    private readonly content: () => Box[],
  ) {
    this.reticle = CreateTorus('ar-reticle', { diameter: 0.2, thickness: 0.015, tessellation: 32 }, scene);
    const mat = new StandardMaterial('ar-reticle', scene);
    mat.emissiveColor = new Color3(0.2, 0.9, 1);
    mat.disableLighting = true;
    this.reticle.material = mat;
    this.reticle.isPickable = false;
    this.reticle.rotationQuaternion = new Quaternion();
    this.reticle.setEnabled(false);
    hitTest.onHitTestResultObservable.add((results) => this.onHits(results));
    anchors?.onAnchorUpdatedObservable.add((a) => this.follow(a));
    this.planes = planes ? new PlaneView(scene, planes) : null;
  }

  /** World metres per real metre: 1 life size, more for a miniature. */
  private get unit(): number {
    return this.session.worldScalingFactor;
  }

  /** The miniature's size: real size over life size. */
  get scale(): number {
    return 1 / this.unit;
  }

  get hint(): string {
    return arHint(this.placed, this.lifeSize);
  }

  /** Keeps the workspace on its real point when the browser corrects the anchor's pose. */
  private follow(anchor: IWebXRAnchor): void {
    if (anchor !== this.anchor || !this.placedAt) return;
    const at = new Vector3();
    anchor.transformationMatrix.decompose(undefined, undefined, at);
    // the anchor's pose is in real metres; the world around the viewer is scaled by the unit
    const move = anchorCorrection([at.x * this.unit, at.y * this.unit, at.z * this.unit], this.placedAt);
    if (!move) return;
    this.camera.position.addInPlaceFromFloats(...move);
  }

  get placed(): boolean {
    return this.placedAt !== null;
  }

  private onHits(results: IWebXRHitResult[]): void {
    const hit = results[0] ?? null;
    this.lastHit = hit;
    if (!hit || this.placed) {
      this.reticle.setEnabled(false);
      return;
    }
    this.reticle.setEnabled(true);
    // the result's position is in world metres (scaled), its matrix in real ones
    this.reticle.position.copyFrom(hit.position);
    this.reticle.rotationQuaternion!.copyFrom(hit.rotationQuaternion);
    this.reticle.scaling.setAll(this.unit);
  }

  /** A tap: places the workspace at the reticle; false when there is no surface under it yet. */
  place(): boolean {
    const hit = this.lastHit;
    if (this.placed || !hit) return false;
    this.placeAt([hit.position.x, hit.position.y, hit.position.z]);
    if (this.anchors) {
      // anchors are a bonus: without them the placement still holds until the session ends
      this.anchors.addAnchorPointUsingHitTestResultAsync(hit).then(
        (a) => (this.anchor = a),
        () => undefined,
      );
    }
    return true;
  }

  /** Places the workspace so that the real point `hit` (current world coordinates) is its anchor. */
  placeAt(hit: Vec3): void {
    this.arrange(hit);
    this.hitAt = hit;
    this.reticle.setEnabled(false);
    this.planes?.setShown(false);
    this.onChange();
  }

  /** Switches between life size and the miniature; a placed workspace changes where it stands. */
  setLifeSize(on: boolean): void {
    this.lifeSize = on;
    if (this.placedAt) this.arrange(this.placedAt);
    this.onChange();
  }

  /**
   * Stands the content on the real point that is at `hit` now: life size with its anchor there,
   * or as a miniature moved within reach in front of the viewer, turned to face them.
   */
  private arrange(hit: Vec3): void {
    const box = unionBox(this.content()) ?? { min: [0, 0, 0], max: [0, 0, 0] };
    const anchor = boxAnchor(box);
    const scale = this.lifeSize ? 1 : miniatureScale(box);
    const head = this.head();
    const spot = this.lifeSize ? hit : miniatureSpot(head.position, hit, yawOf(head.rotation), footprintRadius(box) * scale, this.unit);
    this.moveTo(moveRig(head, spot, anchor, 1 / scale / this.unit, facingTurn(head.position, spot)), 1 / scale);
    this.placedAt = anchor;
    this.contentBox = box;
  }

  /**
   * Each frame while placed: the world positions of the two hands (or fingers) pinching, or null
   * when fewer than two pinch. Spreading grows the miniature and turning the pair turns it, both
   * about its anchor on the table.
   */
  pinch(points: readonly [Vec3, Vec3] | null): void {
    const anchor = this.placedAt;
    if (!points || !anchor) {
      this.span = null;
      return;
    }
    const now = spanOf(points[0], points[1], this.unit);
    const before = this.span;
    this.span = now;
    if (!before) return;
    const step = pinchStep(this.scale, before, now);
    if (step.scale === this.scale && Math.abs(step.turn) < 1e-4) return;
    // the content turns with the hands, so the viewer turns the other way about it
    const turn = -step.turn;
    this.moveTo(moveRig(this.head(), anchor, anchor, this.scale / step.scale, turn), 1 / step.scale);
    // the hands turn with the viewer: measured again next frame, their line has turned too
    this.span = { spread: now.spread, heading: now.heading + turn };
    this.lifeSize = step.scale === 1;
    this.onChange();
  }

  private head(): RigPose {
    const { position: p, rotationQuaternion: q } = this.camera;
    return { position: [p.x, p.y, p.z], rotation: [q.x, q.y, q.z, q.w] };
  }

  /**
   * Puts the head at `pose` with `unit` world metres per real metre. The camera turns its pose
   * into a new tracking offset against where tracking last put it (in world metres at the old
   * unit), so that reference is scaled along with the unit first.
   */
  private moveTo(pose: RigPose, unit: number): void {
    const ratio = unit / this.unit;
    if (ratio !== 1) {
      (this.camera as unknown as { _referencedPosition: Vector3 })._referencedPosition.scaleInPlace(ratio);
      this.session.worldScalingFactor = unit;
    }
    this.camera.position.set(...pose.position);
    this.camera.rotationQuaternion.set(...pose.rotation);
  }

  /** Picks the workspace up again: the reticle comes back and the next tap places it anew. */
  reset(): void {
    this.planes?.setShown(true);
    this.placedAt = null;
    this.hitAt = null;
    this.span = null;
    this.anchor?.remove();
    this.anchor = null;
    this.onChange();
  }

  dispose(): void {
    this.planes?.dispose();
    this.anchor = null;
    // once the session has ended its last frame is stale, and the camera would hand the new depth
    // range to the ended session (which throws): there is no frame now
    if (!this.session.inXRSession) this.session.currentFrame = null;
    this.session.worldScalingFactor = 1;
    this.reticle.dispose(false, true);
  }
}
