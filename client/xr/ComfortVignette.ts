/**
 * The comfort ring: a dark frame with a clear middle, just in front of the eyes, that fades in
 * while the thumbsticks walk or smoothly turn the person and fades out when they stop. Drawn over
 * everything, never picked. How strong it is follows the rules in locomotion.ts.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Constants } from '@babylonjs/core/Engines/constants';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { easeVignette, vignetteTarget } from './locomotion';

/**
 * How far in front of the eyes the ring hangs (far enough that both eyes see it in nearly the same
 * place; it is drawn over everything whatever is nearer), and how wide it is (wider than a headset's view).
 */
const DISTANCE = 1;
const SIZE = 6;
const TEXTURE_SIZE = 512;
/** Off the line of sight, the view stays clear up to this angle and is fully dark from the next (degrees). */
const CLEAR_ANGLE = 28;
const DARK_ANGLE = 50;

/** The radius in texture pixels of a circle seen at `degrees` off the line of sight. */
function radiusPx(degrees: number): number {
  return ((Math.tan((degrees * Math.PI) / 180) * DISTANCE) / (SIZE / 2)) * (TEXTURE_SIZE / 2);
}

export class ComfortVignette {
  private readonly mesh: Mesh;
  private readonly material: StandardMaterial;
  private strength = 0;

  constructor(scene: Scene, camera: Camera) {
    const texture = new DynamicTexture('comfort-ring', TEXTURE_SIZE, scene, false);
    const ctx = texture.getContext();
    const c = TEXTURE_SIZE / 2;
    const gradient = ctx.createRadialGradient(c, c, radiusPx(CLEAR_ANGLE), c, c, radiusPx(DARK_ANGLE));
    gradient.addColorStop(0, 'rgba(0,0,0,0)');
    gradient.addColorStop(1, 'rgba(0,0,0,1)');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, TEXTURE_SIZE, TEXTURE_SIZE);
    texture.hasAlpha = true;
    texture.update();

    this.material = new StandardMaterial('comfort-ring', scene);
    this.material.disableLighting = true;
    this.material.emissiveColor = Color3.Black();
    this.material.diffuseColor = Color3.Black();
    this.material.opacityTexture = texture;
    this.material.disableDepthWrite = true;
    this.material.depthFunction = Constants.ALWAYS;
    this.material.backFaceCulling = false;
    this.material.alpha = 0;

    this.mesh = CreatePlane('comfort-ring', { size: SIZE }, scene);
    this.mesh.material = this.material;
    this.mesh.isPickable = false;
    this.mesh.renderingGroupId = 3;
    this.mesh.parent = camera;
    // in front of the eyes: a right-handed camera looks down its -Z
    this.mesh.position.set(0, 0, scene.useRightHandedSystem ? -DISTANCE : DISTANCE);
    this.mesh.setEnabled(false);
  }

  /** How dark the ring is now, 0..1 (for tests). */
  get level(): number {
    return this.strength;
  }

  /** Every frame in VR: the sticks as they are, whether turning is smooth, and whether the ring is wanted. */
  update(walk: readonly [number, number], turnX: number, smoothTurn: boolean, enabled: boolean, dtSeconds: number): void {
    const target = enabled ? vignetteTarget(walk, turnX, smoothTurn) : 0;
    this.strength = enabled ? easeVignette(this.strength, target, dtSeconds) : 0;
    this.material.alpha = this.strength;
    this.mesh.setEnabled(this.strength > 0.01);
  }

  dispose(): void {
    this.mesh.dispose(false, true);
  }
}
