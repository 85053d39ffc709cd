/**
 * The place a world is: shell, surfaces, light, sky and haze, built from its template's look (see
 * looks.ts) in a graphics tier (see ../graphics.ts). Everything hangs under one node named `room`
 * (XR hides it in AR) and none of it is pickable. The environment costs one draw call per material
 * and, in the full tier, one shadow map drawn only when a caster moved.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Scene as SceneClass } from '@babylonjs/core/scene';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { stageOf, type Stage, type WorldTemplate } from '../../../shared/model/worlds';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateCylinder } from '@babylonjs/core/Meshes/Builders/cylinderBuilder';
import { CreateTorus } from '@babylonjs/core/Meshes/Builders/torusBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { buildIndoor } from './indoor';
import type { GraphicsTier } from '../graphics';
import { configureCamera, createAmbientLight, createMainLight, environmentTextureOf } from './lighting';
import { lookOf, paletteOf } from './looks';
import { materialsFor } from './materials';
import { buildOutdoor } from './outdoor';

export { paletteOf };

/** The walkable floor's mesh: what VR teleports land on (the merged floor surface, named by its material). */
export const FLOOR_MESH = 'env-floor';
/** The node that holds every prop; hidden with the room in AR, where the real room is the room. */
export const PROPS_NODE = 'props';

export interface Environment {
  /** The node everything of the place hangs under (named `room`). */
  root: TransformNode;
  /** The template it was built for, and whether it is a room or open ground. */
  template: string;
  setting: WorldTemplate['setting'];
  tier: GraphicsTier;
  /** Meshes the environment draws (one draw call each). */
  meshCount: number;
  /** Lets a mesh (a prop, a person) cast a shadow on the floor (the full tier's; the light tier has none). */
  addShadowCaster(mesh: AbstractMesh): void;
  /** Redraws the shadows on the next frame: call when a caster moved, appeared or went. */
  invalidateShadows(): void;
  dispose(): void;
}

export function buildEnvironment(scene: Scene, templateId: string, tier: GraphicsTier): Environment {
  const look = lookOf(templateId);
  const root = new TransformNode('room', scene);
  const full = tier === 'full';
  const environment = full ? environmentTextureOf(scene, look) : null;
  scene.environmentTexture = environment;
  if (full) configureCamera(scene, look);
  const main = createMainLight(scene, look, full);
  main.light.parent = root;
  // not under the room: in AR, where the room is hidden, people and documents still need light
  const ambient = full ? null : createAmbientLight(scene, look);

  const materials = materialsFor(scene, tier);
  const meshes = look.setting === 'outdoor' ? buildOutdoor(scene, look, root, materials, environment) : buildIndoor(scene, look, root, materials);
  const stage = stageOf(templateId);
  if (stage) meshes.push(buildStage(scene, stage, root, paletteOf(templateId).accent));
  if (look.setting === 'outdoor') {
    // haze that swallows the distant town and meets the sky at the horizon
    scene.fogMode = SceneClass.FOGMODE_LINEAR;
    scene.fogStart = 20;
    scene.fogEnd = 120;
    scene.fogColor = new Color3(0.82, 0.87, 0.93);
    scene.clearColor = Color4.FromColor3(scene.fogColor, 1);
  } else {
    scene.fogMode = SceneClass.FOGMODE_NONE;
    scene.clearColor = Color4.FromColor3(Color3.FromHexString(paletteOf(templateId).walls).scale(0.6), 1);
  }

  return {
    root,
    template: templateId,
    setting: look.setting,
    tier,
    meshCount: meshes.length,
    addShadowCaster: (mesh) => main.addShadowCaster(mesh),
    invalidateShadows: () => main.invalidate(),
    dispose() {
      main.dispose();
      ambient?.dispose();
      if (environment && scene.environmentTexture === environment) scene.environmentTexture = null;
      environment?.dispose();
      scene.fogMode = SceneClass.FOGMODE_NONE;
      root.dispose(false, true);
    },
  };
}

/**
 * The template's stage: a low round platform in the accent colour with a pale rim, so people see
 * where standing makes them heard by everyone.
 */
function buildStage(scene: Scene, stage: Stage, root: TransformNode, accent: string): Mesh {
  const disc = CreateCylinder('stage', { diameter: stage.radius * 2, height: 0.06, tessellation: 48 }, scene);
  disc.position.set(stage.x, 0.03, stage.z);
  disc.parent = root;
  disc.isPickable = false;
  const material = new StandardMaterial('stage-mat', scene);
  material.diffuseColor = Color3.FromHexString(accent).scale(0.85);
  material.emissiveColor = Color3.FromHexString(accent).scale(0.25);
  material.specularColor = new Color3(0.1, 0.1, 0.1);
  disc.material = material;
  const rim = CreateTorus('stage-rim', { diameter: stage.radius * 2 - 0.05, thickness: 0.05, tessellation: 48 }, scene);
  rim.position.y = 0.035;
  rim.parent = disc;
  rim.isPickable = false;
  const rimMaterial = new StandardMaterial('stage-rim-mat', scene);
  rimMaterial.diffuseColor = new Color3(0.95, 0.95, 0.92);
  rimMaterial.emissiveColor = new Color3(0.35, 0.35, 0.33);
  rim.material = rimMaterial;
  return disc;
}
