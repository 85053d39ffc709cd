/**
 * Hand meshes for WebXR hand tracking, from the generic-hand profile this server ships (Babylon's
 * own default hands live on a remote host). The profile's bones are named after the WebXR joints,
 * so Babylon links them to the tracked joints with no mapping table.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { Axis } from '@babylonjs/core/Maths/math.axis';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { ImportMeshAsync } from '@babylonjs/core/Loading/sceneLoader';
import '@babylonjs/loaders/glTF/2.0';
import { XR_PROFILES_PATH } from '../../shared/xrProfiles';

export interface HandMeshes {
  left: AbstractMesh;
  right: AbstractMesh;
}

async function loadHand(scene: Scene, side: 'left' | 'right', skin: StandardMaterial): Promise<AbstractMesh> {
  const url = `${location.origin}${XR_PROFILES_PATH}/profiles/generic-hand/${side}.glb`;
  const result = await ImportMeshAsync(url, scene);
  const mesh = result.meshes.find((m) => m.skeleton);
  if (!mesh) throw new Error(`the ${side} hand model has no skeleton`);
  mesh.material = skin;
  mesh.isPickable = false;
  mesh.isVisible = false;
  // glTF is right-handed; Babylon un-flips tracked joints for such meshes and expects this turn
  if (!scene.useRightHandedSystem) mesh.rotate(Axis.Y, Math.PI);
  return mesh;
}

/** Loads both hands, or answers null (joint spheres stand in) when the models cannot be had. */
export async function loadHandMeshes(scene: Scene): Promise<HandMeshes | null> {
  const skin = new StandardMaterial('xr-hand-skin', scene);
  skin.diffuseColor = Color3.FromHexString('#c9a28a');
  skin.specularColor = new Color3(0.1, 0.1, 0.1);
  try {
    const [left, right] = await Promise.all([loadHand(scene, 'left', skin), loadHand(scene, 'right', skin)]);
    return { left, right };
  } catch (err) {
    console.warn('hand models could not be loaded; showing tracked joints instead', err);
    skin.dispose();
    return null;
  }
}
