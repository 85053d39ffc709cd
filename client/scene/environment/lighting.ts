/**
 * The light of a place. Full tier: the prefiltered environment (ambient light and reflections) made
 * from the look's panorama, one directional main light with one soft shadow map that renders only
 * when a caster moved, and the camera's tone mapping. Light tier: the same sun without shadows and
 * an ambient light whose sky and ground colours come from the same panorama.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { DirectionalLight } from '@babylonjs/core/Lights/directionalLight';
import { ShadowGenerator } from '@babylonjs/core/Lights/Shadows/shadowGenerator';
import '@babylonjs/core/Lights/Shadows/shadowGeneratorSceneComponent';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight';
import { HDRCubeTexture } from '@babylonjs/core/Materials/Textures/hdrCubeTexture';
import { RenderTargetTexture } from '@babylonjs/core/Materials/Textures/renderTargetTexture';
import { ImageProcessingConfiguration } from '@babylonjs/core/Materials/imageProcessingConfiguration';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { ROOM_HALF_SIZE } from '../../../shared/model/worlds';
import type { Look } from './looks';
import { encodeHdr, hdrDataUrl, renderPanorama } from './panorama';

/** Panorama and cube sizes: ambient light is smooth, so small is enough (and quick to prefilter). */
const PANORAMA_WIDTH = 128;
const PANORAMA_HEIGHT = 64;
const CUBE_SIZE = 64;
const SHADOW_MAP_SIZE = 1024;
/** Light tier: strength of the ambient light, and the share of the sun kept. */
const LIGHT_TIER_AMBIENT = 0.9;
const LIGHT_TIER_SUN = 0.35;

export interface MainLight {
  light: DirectionalLight;
  addShadowCaster(mesh: AbstractMesh): void;
  /** Asks for the shadow map to be drawn again on the next frame (a caster moved or changed). */
  invalidate(): void;
  dispose(): void;
}

/** The environment texture of a look; the scene's `environmentTexture` once set. */
export function environmentTextureOf(scene: Scene, look: Look): HDRCubeTexture {
  const pixels = renderPanorama(look.panorama, PANORAMA_WIDTH, PANORAMA_HEIGHT);
  const url = hdrDataUrl(encodeHdr(pixels, PANORAMA_WIDTH, PANORAMA_HEIGHT));
  // linear space, harmonics for diffuse, prefiltered for rough reflections
  const texture = new HDRCubeTexture(url, scene, CUBE_SIZE, false, true, false, true);
  texture.name = 'environment';
  return texture;
}

export function createMainLight(scene: Scene, look: Look, shadowed: boolean): MainLight {
  const towards = new Vector3(...look.sun.towards).normalize();
  const light = new DirectionalLight('main-light', towards.scale(-1), scene);
  light.position = towards.scale(ROOM_HALF_SIZE * 3);
  light.intensity = look.sun.intensity;
  light.diffuse = Color3.FromHexString(look.sun.colour);
  // fixed bounds around the whole room: casters come and go and must not rescale the map each time
  light.autoUpdateExtends = false;
  light.autoCalcShadowZBounds = false;
  const reach = ROOM_HALF_SIZE * 1.5;
  light.orthoLeft = -reach;
  light.orthoRight = reach;
  light.orthoTop = reach;
  light.orthoBottom = -reach;
  light.shadowMinZ = 0.5;
  light.shadowMaxZ = ROOM_HALF_SIZE * 6;

  if (!shadowed) {
    // without tone mapping to roll off highlights, the sun only shades: the ambient light carries the room
    light.intensity *= LIGHT_TIER_SUN;
    return { light, addShadowCaster: () => undefined, invalidate: () => undefined, dispose: () => light.dispose() };
  }

  const shadows = new ShadowGenerator(SHADOW_MAP_SIZE, light);
  shadows.usePercentageCloserFiltering = true;
  shadows.filteringQuality = ShadowGenerator.QUALITY_MEDIUM;
  shadows.bias = 0.002;
  shadows.normalBias = 0.02;
  shadows.darkness = 0.35;
  const map = shadows.getShadowMap();
  if (map) map.refreshRate = RenderTargetTexture.REFRESHRATE_RENDER_ONCE;
  const invalidate = () => shadows.getShadowMap()?.resetRefreshCounter();
  return {
    light,
    addShadowCaster(mesh) {
      shadows.addShadowCaster(mesh, true);
      invalidate();
    },
    invalidate,
    dispose() {
      shadows.dispose();
      light.dispose();
    },
  };
}

/**
 * A light's colour from a panorama colour: its hue, softened towards white (a blue sky lights a
 * square bluish, not blue), at `scale`.
 */
function tint([r, g, b]: readonly [number, number, number], scale: number): Color3 {
  const top = Math.max(r, g, b, 1e-6);
  const soft = (c: number) => (0.75 + 0.25 * (c / top)) * scale;
  return new Color3(soft(r), soft(g), soft(b));
}

/** The light tier's ambient: light from the sky above and bounced off the ground below. */
export function createAmbientLight(scene: Scene, look: Look): HemisphericLight {
  const ambient = new HemisphericLight('ambient-light', new Vector3(0, 1, 0), scene);
  ambient.diffuse = tint(look.panorama.zenith, 1);
  ambient.groundColor = tint(look.panorama.ground, 0.8);
  ambient.specular = Color3.Black();
  ambient.intensity = LIGHT_TIER_AMBIENT;
  return ambient;
}

/** Filmic but colour-faithful: Khronos PBR Neutral keeps document colours and white pages as they are. */
export function configureCamera(scene: Scene, look: Look): void {
  const ip = scene.imageProcessingConfiguration;
  ip.toneMappingEnabled = true;
  ip.toneMappingType = ImageProcessingConfiguration.TONEMAPPING_KHR_PBR_NEUTRAL;
  ip.exposure = look.exposure;
  scene.environmentIntensity = look.environmentIntensity;
}
