/** PBR materials of the shell, and merging its pieces into one mesh per material. */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { PBRMaterial } from '@babylonjs/core/Materials/PBR/pbrMaterial';
import type { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { SurfaceLook } from './looks';
import { surfaceTexture } from './surfaces';

/** A rough dielectric (paint, wood, stone), painted with its surface when it has one. */
export function surfaceMaterial(scene: Scene, name: string, look: SurfaceLook): PBRMaterial {
  const m = new PBRMaterial(`env-${name}`, scene);
  m.albedoColor = Color3.FromHexString(look.colour).toLinearSpace();
  m.metallic = 0;
  m.roughness = look.roughness;
  if (look.surface) m.albedoTexture = surfaceTexture(scene, look.surface, [look.repeat ?? 1, look.repeat ?? 1]);
  return m;
}

/** Something that gives light (panels, spot fittings) or shows a view: unlit, so it reads as bright. */
export function glowMaterial(scene: Scene, name: string, colour: string, texture?: Texture): PBRMaterial {
  const m = new PBRMaterial(`env-${name}`, scene);
  m.unlit = true;
  if (texture) {
    m.albedoColor = Color3.FromHexString(colour);
    m.albedoTexture = texture;
  } else {
    // brighter than any lit white surface, so a fitting reads as a light and not as paint
    m.albedoColor = Color3.Black();
    m.emissiveColor = Color3.FromHexString(colour);
    m.emissiveIntensity = 2;
  }
  return m;
}

/**
 * Merges pieces sharing one material into one mesh under `root`: the whole shell then costs a draw
 * call per material. Nothing of the shell is pickable, so pointer rays only find what people use.
 */
export function mergeInto(root: TransformNode, name: string, pieces: Mesh[], material: PBRMaterial, receiveShadows = false): Mesh {
  const merged = pieces.length === 1 ? pieces[0]! : Mesh.MergeMeshes(pieces, true, true);
  if (!merged) throw new Error(`the ${name} of the room could not be merged into one mesh`);
  merged.name = `env-${name}`;
  merged.material = material;
  merged.isPickable = false;
  merged.receiveShadows = receiveShadows;
  merged.parent = root;
  merged.freezeWorldMatrix();
  merged.doNotSyncBoundingInfo = true;
  return merged;
}
