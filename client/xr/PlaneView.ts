/**
 * Shows the surfaces the browser found (where it offers plane detection) as faint sheets while the
 * person looks for somewhere to put the workspace, so they can see where a tap will land. Hidden
 * once the workspace is placed.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData';
import type { IWebXRPlane, WebXRPlaneDetector } from '@babylonjs/core/XR/features/WebXRPlaneDetector.pure';
import { planeGeometry } from './planeMesh';

export class PlaneView {
  private readonly meshes = new Map<number, Mesh>();
  private readonly material: StandardMaterial;
  private shown = true;

  constructor(
    private readonly scene: Scene,
    detector: WebXRPlaneDetector,
  ) {
    this.material = new StandardMaterial('ar-plane', scene);
    this.material.emissiveColor = new Color3(0.2, 0.9, 1);
    this.material.disableLighting = true;
    this.material.alpha = 0.18;
    this.material.backFaceCulling = false;
    detector.onPlaneAddedObservable.add((p) => this.draw(p));
    detector.onPlaneUpdatedObservable.add((p) => this.draw(p));
    detector.onPlaneRemovedObservable.add((p) => {
      this.meshes.get(p.id)?.dispose();
      this.meshes.delete(p.id);
    });
  }

  get count(): number {
    return this.meshes.size;
  }

  /** Shown while placing, hidden once placed. */
  setShown(shown: boolean): void {
    this.shown = shown;
    for (const mesh of this.meshes.values()) mesh.setEnabled(shown);
  }

  private draw(plane: IWebXRPlane): void {
    const geometry = planeGeometry(plane.polygonDefinition.map((v) => [v.x, v.y, v.z] as const));
    this.meshes.get(plane.id)?.dispose();
    this.meshes.delete(plane.id);
    if (!geometry) return;
    const mesh = new Mesh(`ar-plane-${plane.id}`, this.scene);
    const data = new VertexData();
    data.positions = geometry.positions;
    data.indices = geometry.indices;
    data.applyToMesh(mesh);
    mesh.material = this.material;
    mesh.isPickable = false;
    mesh.rotationQuaternion = new Quaternion();
    plane.transformationMatrix.decompose(mesh.scaling, mesh.rotationQuaternion, mesh.position);
    mesh.setEnabled(this.shown);
    this.meshes.set(plane.id, mesh);
  }

  dispose(): void {
    for (const mesh of this.meshes.values()) mesh.dispose();
    this.meshes.clear();
    this.material.dispose();
  }
}
