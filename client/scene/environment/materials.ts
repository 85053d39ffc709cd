/**
 * The shell's materials in either graphics tier (see ../graphics.ts), and merging its pieces into one
 * mesh per material. Full: PBR lit by the place's panorama. Light: plain lit colours, the same hues,
 * with pictures (a chalk board, the view from the windows) kept and wall and floor grain left out.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import type { Material } from '@babylonjs/core/Materials/material';
import { MultiMaterial } from '@babylonjs/core/Materials/multiMaterial';
import { PBRMaterial } from '@babylonjs/core/Materials/PBR/pbrMaterial';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import type { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { GraphicsTier } from '../graphics';
import type { SurfaceLook } from './looks';
import { surfaceMeanColour, surfaceTexture } from './surfaces';

export type ShellMaterial = PBRMaterial | StandardMaterial;

export interface Materials {
  readonly tier: GraphicsTier;
  /**
   * A rough dielectric (paint, wood, stone), painted with its surface when it has one. A `picture`
   * (a board people read) keeps its painting in the light tier too.
   */
  surface(name: string, look: SurfaceLook, opts?: { picture?: boolean }): ShellMaterial;
  /** Something that gives light (panels, spot fittings) or shows a view: unlit, so it reads as bright. */
  glow(name: string, colour: string, texture?: Texture): ShellMaterial;
}

export function materialsFor(scene: Scene, tier: GraphicsTier): Materials {
  return tier === 'full' ? fullMaterials(scene) : lightMaterials(scene);
}

function fullMaterials(scene: Scene): Materials {
  return {
    tier: 'full',
    surface(name, look) {
      const m = new PBRMaterial(`env-${name}`, scene);
      m.albedoColor = Color3.FromHexString(look.colour).toLinearSpace();
      m.metallic = 0;
      m.roughness = look.roughness;
      if (look.surface) m.albedoTexture = surfaceTexture(scene, look.surface, [look.repeat ?? 1, look.repeat ?? 1]);
      return m;
    },
    glow(name, colour, texture) {
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
    },
  };
}

function lightMaterials(scene: Scene): Materials {
  return {
    tier: 'light',
    surface(name, look, opts = {}) {
      const m = new StandardMaterial(`env-${name}`, scene);
      m.diffuseColor = Color3.FromHexString(look.colour);
      m.specularColor = Color3.Black();
      if (look.surface && opts.picture) m.diffuseTexture = surfaceTexture(scene, look.surface, [look.repeat ?? 1, look.repeat ?? 1]);
      else if (look.surface) m.diffuseColor.multiplyInPlace(Color3.FromArray(surfaceMeanColour(look.surface)));
      return m;
    },
    glow(name, colour, texture) {
      const m = new StandardMaterial(`env-${name}`, scene);
      m.disableLighting = true;
      m.emissiveColor = Color3.FromHexString(colour);
      if (texture) m.emissiveTexture = texture;
      return m;
    },
  };
}

/**
 * The light tier's stand-in for a model's PBR material: its base colour and colour texture, lit
 * plainly. Other materials are returned as they are.
 */
export function plainMaterialOf(scene: Scene, material: Material): Material {
  if (!(material instanceof PBRMaterial)) return material;
  const plain = new StandardMaterial(`${material.name}-plain`, scene);
  plain.diffuseColor = material.albedoColor.toGammaSpace();
  if (material.albedoTexture) plain.diffuseTexture = material.albedoTexture;
  plain.specularColor = Color3.Black();
  plain.backFaceCulling = material.backFaceCulling;
  return plain;
}

/** Puts a mesh's PBR materials (one, or each of a multi-material) in their plain stand-ins. */
export function plainMaterialsOn(scene: Scene, mesh: Mesh): void {
  const material = mesh.material;
  if (!material) return;
  const swap = (m: Material): Material => {
    const plain = plainMaterialOf(scene, m);
    // the textures now belong to the plain material
    if (plain !== m) m.dispose(false, false);
    return plain;
  };
  if (material instanceof MultiMaterial) material.subMaterials = material.subMaterials.map((m) => (m ? swap(m) : m));
  else mesh.material = swap(material);
}

/**
 * Merges pieces sharing one material into one mesh under `root`: the whole shell then costs a draw
 * call per material. Nothing of the shell is pickable, so pointer rays only find what people use.
 */
export function mergeInto(root: TransformNode, name: string, pieces: Mesh[], material: ShellMaterial, receiveShadows = false): Mesh {
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
