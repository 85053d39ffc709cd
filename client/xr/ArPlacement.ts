/**
 * AR on a phone or passthrough headset: a reticle follows the hit-test result on real surfaces;
 * a tap places the world's workspace there (by moving the viewer, see placement.ts) and, where
 * the browser offers anchors, an anchor is created at that point and followed: when the browser
 * refines where that real point is, the viewer moves so the workspace stays on it.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateTorus } from '@babylonjs/core/Meshes/Builders/torusBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { WebXRCamera } from '@babylonjs/core/XR/webXRCamera';
import type { IWebXRHitResult, WebXRHitTest } from '@babylonjs/core/XR/features/WebXRHitTest.pure';
import type { IWebXRAnchor, WebXRAnchorSystem } from '@babylonjs/core/XR/features/WebXRAnchorSystem.pure';
import type { Vec3 } from '../../shared/protocol';
import type { WebXRPlaneDetector } from '@babylonjs/core/XR/features/WebXRPlaneDetector.pure';
import { PlaneView } from './PlaneView';
import { anchorCorrection, placeRig, type WorkspaceItem, workspaceAnchor } from './placement';

export class ArPlacement {
  readonly reticle: Mesh;
  private lastHit: IWebXRHitResult | null = null;
  private anchor: IWebXRAnchor | null = null;
  private readonly planes: PlaneView | null;
  /** Where the workspace anchor ended up (world coordinates), once placed. */
  placedAt: Vec3 | null = null;
  /** Where on the real surface it was placed (before the move), for the probe. */
  hitAt: Vec3 | null = null;

  constructor(
    private readonly scene: Scene,
    private readonly camera: WebXRCamera,
    hitTest: WebXRHitTest,
    private readonly anchors: WebXRAnchorSystem | null,
    planes: WebXRPlaneDetector | null,
    private readonly items: () => WorkspaceItem[],
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

  /** Keeps the workspace on its real point when the browser corrects the anchor's pose. */
  private follow(anchor: IWebXRAnchor): void {
    if (anchor !== this.anchor || !this.placedAt) return;
    const at = new Vector3();
    anchor.transformationMatrix.decompose(undefined, undefined, at);
    const move = anchorCorrection([at.x, at.y, at.z], this.placedAt);
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
    hit.transformationMatrix.decompose(undefined, this.reticle.rotationQuaternion!, this.reticle.position);
  }

  /** A tap: places the workspace at the reticle; false when there is no surface under it yet. */
  place(): boolean {
    const hit = this.lastHit;
    if (this.placed || !hit) return false;
    const at = new Vector3();
    hit.transformationMatrix.decompose(undefined, undefined, at);
    this.placeAt([at.x, at.y, at.z]);
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
    const anchor = workspaceAnchor(this.items());
    const cam = this.camera;
    const q = cam.rotationQuaternion;
    const next = placeRig({ position: [cam.position.x, cam.position.y, cam.position.z], rotation: [q.x, q.y, q.z, q.w] }, hit, anchor);
    cam.position.set(...next.position);
    cam.rotationQuaternion.set(...next.rotation);
    this.hitAt = hit;
    this.placedAt = anchor;
    this.reticle.setEnabled(false);
    this.planes?.setShown(false);
  }

  /** Picks the workspace up again: the reticle comes back and the next tap places it anew. */
  reset(): void {
    this.planes?.setShown(true);
    this.placedAt = null;
    this.hitAt = null;
    this.anchor?.remove();
    this.anchor = null;
  }

  dispose(): void {
    this.planes?.dispose();
    this.anchor = null;
    this.reticle.dispose(false, true);
  }
}
