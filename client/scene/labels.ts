/** Flat text labels in the world: avatar name tags and "held by" badges. */
import type { Scene } from '@babylonjs/core/scene';
import type { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { LABEL_TEXTURE, TAG_TEXTURE, createLabelTexture, createTagTexture } from './textures';

export interface LabelOptions {
  /** Width in metres; the height follows the label texture's shape. */
  width: number;
  /** Turn to face the viewer (name tags) instead of keeping the parent's orientation (badges). */
  billboard: boolean;
}

/** A label plane; dispose() also frees its texture and material. */
export function createLabel(scene: Scene, name: string, text: string, background: string, opts: LabelOptions): Mesh {
  return labelPlane(scene, name, createLabelTexture(scene, `${name}-tex`, text, background), LABEL_TEXTURE, opts);
}

/** A two-line name tag (name over "role · device") that always faces the viewer. */
export function createNameTag(scene: Scene, name: string, title: string, detail: string, background: string, width: number): Mesh {
  return labelPlane(scene, name, createTagTexture(scene, `${name}-tex`, title, detail, background), TAG_TEXTURE, { width, billboard: true });
}

function labelPlane(scene: Scene, name: string, texture: DynamicTexture, shape: { width: number; height: number }, opts: LabelOptions): Mesh {
  const material = new StandardMaterial(`${name}-mat`, scene);
  material.diffuseTexture = texture;
  material.emissiveColor = Color3.White();
  material.disableLighting = true;
  material.useAlphaFromDiffuseTexture = true;
  material.backFaceCulling = false;
  const plane = CreatePlane(name, { width: opts.width, height: (opts.width * shape.height) / shape.width }, scene);
  plane.material = material;
  plane.isPickable = false;
  if (opts.billboard) plane.billboardMode = TransformNode.BILLBOARDMODE_ALL;
  return plane;
}

export function disposeLabel(label: Mesh): void {
  label.dispose(false, true);
}
