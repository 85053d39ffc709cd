/**
 * The material a document's page is drawn with. A page is paper to read, not a surface to light:
 * it shows its texture as it is, whatever the world's light or the time of day, and stays out of the
 * world's tone mapping so white paper stays white and small text keeps its contrast.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { ImageProcessingConfiguration } from '@babylonjs/core/Materials/imageProcessingConfiguration';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';

let untoned: ImageProcessingConfiguration | null = null;

export function pageMaterial(name: string, scene: Scene): StandardMaterial {
  const material = new StandardMaterial(name, scene);
  material.disableLighting = true;
  material.emissiveColor = Color3.White();
  material.specularColor = Color3.Black();
  untoned ??= Object.assign(new ImageProcessingConfiguration(), { toneMappingEnabled: false, exposure: 1, contrast: 1 });
  material.imageProcessingConfiguration = untoned;
  return material;
}
