/**
 * A panel face drawn at a close-up tier, on a texture of its own: the atlas stays at the far tiers
 * (where many faces share a page and a draw call), while the one panel being read closely costs one
 * extra texture and draw call. The texture is replaced when the drawing changes and freed with it.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { pageMaterial } from './pageMaterial';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';

export class CloseUpFace {
  readonly mesh: Mesh;
  private readonly material: StandardMaterial;
  private texture: DynamicTexture | null = null;
  private shown: HTMLCanvasElement | null = null;

  constructor(scene: Scene, name: string, parent: TransformNode, metadata: unknown) {
    // drawn as the atlas faces are, so a panel looks the same whichever texture it shows
    this.material = pageMaterial(name, scene);
    // BACKSIDE faces +Z, the panel's readable side (as the atlas planes do)
    this.mesh = CreatePlane(name, { size: 1, sideOrientation: Mesh.BACKSIDE }, scene);
    this.mesh.material = this.material;
    this.mesh.parent = parent;
    this.mesh.metadata = metadata;
  }

  /** Shows a face canvas; a new texture only when the drawing is a new one. */
  show(canvas: HTMLCanvasElement): void {
    if (canvas === this.shown) return;
    const scene = this.mesh.getScene();
    const texture = new DynamicTexture(`${this.mesh.name}-texture`, canvas, scene, true, Texture.TRILINEAR_SAMPLINGMODE);
    texture.anisotropicFilteringLevel = 8;
    // flipped on upload, so the canvas's top row is the top of the plane
    texture.update(true);
    this.texture?.dispose();
    this.texture = texture;
    this.material.diffuseTexture = texture;
    this.shown = canvas;
  }

  dispose(): void {
    this.texture?.dispose();
    this.texture = null;
    this.shown = null;
    this.mesh.dispose(false, true);
  }
}
