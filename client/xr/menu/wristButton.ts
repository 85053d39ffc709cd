/** The menu's button on the left wrist: a round blue badge with three lines, pressed to open or close the menu. */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { registerControl, unregisterControl } from '../../scene/controls';

const WRIST_SIZE_M = 0.05;

export function createWristButton(scene: Scene, press: () => void): Mesh {
  const mesh = CreatePlane('xr-menu-wrist', { size: WRIST_SIZE_M, sideOrientation: Mesh.DOUBLESIDE }, scene);
  mesh.billboardMode = Mesh.BILLBOARDMODE_ALL;
  const texture = new DynamicTexture('xr-menu-wrist-texture', { width: 128, height: 128 }, scene, true);
  const ctx = texture.getContext() as unknown as CanvasRenderingContext2D;
  ctx.fillStyle = '#3d6fd6';
  ctx.beginPath();
  ctx.arc(64, 64, 60, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  for (const y of [42, 62, 82]) ctx.fillRect(34, y, 60, 8);
  texture.hasAlpha = true;
  texture.update(true);
  const material = new StandardMaterial('xr-menu-wrist-material', scene);
  material.diffuseTexture = texture;
  material.emissiveTexture = texture;
  material.useAlphaFromDiffuseTexture = true;
  material.disableLighting = true;
  mesh.material = material;
  registerControl(mesh, { label: 'Menu', press });
  mesh.setEnabled(false);
  return mesh;
}

/**
 * Where the wrist button goes each frame: just above the left controller or the back of the left
 * hand, at real size in a world of `unit` world metres per real metre; hidden without a left hand.
 */
export function placeWristButton(mesh: Mesh, left: WebXRInputSource | undefined, unit: number): void {
  if (!left) return void mesh.setEnabled(false);
  const node = left.grip ?? left.pointer;
  node.computeWorldMatrix(true);
  mesh.position.copyFrom(node.absolutePosition.add(new Vector3(0, 0.07 * unit, 0)));
  mesh.scaling.setAll(unit);
  mesh.setEnabled(true);
}

export function disposeWristButton(mesh: Mesh): void {
  unregisterControl(mesh);
  mesh.dispose(false, true);
}
