/**
 * The plaza: paved square with a kerb at its edge so people read its bounds, grass out to the
 * horizon, a ring of distant buildings fading into haze, and the sky.
 */
import type { Scene } from '@babylonjs/core/scene';
import { PBRMaterial } from '@babylonjs/core/Materials/PBR/pbrMaterial';
import type { BaseTexture } from '@babylonjs/core/Materials/Textures/baseTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateGround } from '@babylonjs/core/Meshes/Builders/groundBuilder';
import { CreateSphere } from '@babylonjs/core/Meshes/Builders/sphereBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { seededRandom } from '../../../shared/random';
import { ROOM_HALF_SIZE } from '../../../shared/model/worlds';
import type { Look } from './looks';
import { mergeInto, type Materials } from './materials';

const KERB_WIDTH = 0.3;
const KERB_HEIGHT = 0.15;
/** Inside the camera's far plane (100 m) from anywhere in the square. */
const SKY_RADIUS = 85;
const OUTSKIRTS = 180;

/** `environment`: the place's prefiltered panorama, drawn as the sky (full tier; the light tier's sky is the haze). */
export function buildOutdoor(scene: Scene, look: Look, root: TransformNode, materials: Materials, environment: BaseTexture | null): Mesh[] {
  const size = ROOM_HALF_SIZE * 2;
  const paving = CreateGround('paving', { width: size, height: size }, scene);
  const grass = CreateGround('outskirts', { width: OUTSKIRTS, height: OUTSKIRTS }, scene);
  grass.position.y = -0.01;

  const kerb: Mesh[] = [];
  const edge = ROOM_HALF_SIZE + KERB_WIDTH / 2;
  for (const [x, z, alongX] of [[0, -edge, true], [0, edge, true], [-edge, 0, false], [edge, 0, false]] as const) {
    const length = size + KERB_WIDTH * 2;
    const box = CreateBox('kerb', { width: alongX ? length : KERB_WIDTH, depth: alongX ? KERB_WIDTH : length, height: KERB_HEIGHT }, scene);
    box.position.set(x, KERB_HEIGHT / 2, z);
    kerb.push(box);
  }

  // a ring of blocks at 55-75 m: the horizon is a town, not an empty disc; seeded so all see the same
  const buildings: Mesh[] = [];
  const rand = seededRandom(7);
  for (let i = 0; i < 28; i++) {
    const angle = (i / 28) * Math.PI * 2 + rand() * 0.1;
    const distance = 55 + rand() * 20;
    const block = CreateBox('building', { width: 6 + rand() * 8, depth: 6 + rand() * 6, height: 6 + rand() * 16 }, scene);
    block.position.set(Math.cos(angle) * distance, block.getBoundingInfo().boundingBox.extendSize.y, Math.sin(angle) * distance);
    block.rotation.y = -angle;
    buildings.push(block);
  }

  const facade = materials.surface('buildings', look.walls);
  const meshes = [
    mergeInto(root, 'floor', [paving], materials.surface('floor', look.floor), true),
    mergeInto(root, 'outskirts', [grass], materials.surface('outskirts', look.outskirts ?? look.floor), true),
    mergeInto(root, 'kerb', kerb, materials.surface('kerb', look.trim), true),
    mergeInto(root, 'buildings', buildings, facade),
  ];
  if (environment) meshes.push(skyDome(scene, root, environment));
  return meshes;
}

function skyDome(scene: Scene, root: TransformNode, environment: BaseTexture): Mesh {
  const sky = CreateSphere('sky', { diameter: SKY_RADIUS * 2, segments: 16, sideOrientation: 1 }, scene);
  const skyMaterial = new PBRMaterial('env-sky', scene);
  skyMaterial.reflectionTexture = environment.clone();
  if (skyMaterial.reflectionTexture) skyMaterial.reflectionTexture.coordinatesMode = Texture.SKYBOX_MODE;
  skyMaterial.backFaceCulling = false;
  skyMaterial.microSurface = 1;
  skyMaterial.disableLighting = true;
  skyMaterial.twoSidedLighting = true;
  sky.applyFog = false;
  return mergeInto(root, 'sky', [sky], skyMaterial);
}
