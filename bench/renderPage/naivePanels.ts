/**
 * The baseline of the render benchmark: the same panels built the naive way, as the product did
 * before the face atlas: per panel its own board, face and button meshes, and one material and one
 * DynamicTexture for its face. Its faces show the very same drawing as the product's.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { textSource } from '../../client/content/textSource';
import { composeFace } from '../../client/scene/faceCanvas';
import { faceSizeMetres, type FaceLayout } from '../../client/scene/faceLayout';
import { FAR_PAGE_PX } from '../../client/scene/PanelFace';

const BORDER = 0.02;
const DEPTH = 0.04;
const CONTROL = 0.12;
const GAP = 0.035;

function flat(scene: Scene, name: string, colour: Color3): StandardMaterial {
  const m = new StandardMaterial(name, scene);
  m.diffuseColor = colour;
  m.specularColor = new Color3(0.1, 0.1, 0.1);
  return m;
}

/** Builds one naive panel at `position` showing page 1 of `text`; returns its root. */
export async function naivePanel(scene: Scene, i: number, title: string, text: string, position: Vector3): Promise<TransformNode> {
  const root = new TransformNode(`naive-${i}`, scene);
  root.position.copyFrom(position);
  root.rotationQuaternion = Quaternion.Identity();
  const source = textSource('markdown', text);
  const layout: FaceLayout = { pageAspect: await source.pageAspect(1), slots: 1, footer: true };
  const page = await source.renderPage(1, FAR_PAGE_PX);
  const face = composeFace({ layout, pageWidth: FAR_PAGE_PX, pages: [page], title, footer: `page 1 of ${source.pageCount}`, notes: [] });
  const texture = new DynamicTexture(`naive-${i}-tex`, { width: face.canvas.width, height: face.canvas.height }, scene, true);
  texture.anisotropicFilteringLevel = 8;
  (texture.getContext() as unknown as CanvasRenderingContext2D).drawImage(face.canvas, 0, 0);
  texture.update();
  const material = new StandardMaterial(`naive-${i}-mat`, scene);
  material.diffuseTexture = texture;
  material.emissiveColor = new Color3(0.5, 0.5, 0.5);
  material.specularColor = Color3.Black();

  const { width, height } = faceSizeMetres(layout);
  const board = CreateBox(`naive-${i}-board`, { size: 1 }, scene);
  board.parent = root;
  board.scaling.set(width + BORDER * 2, height + BORDER * 2, DEPTH);
  board.material = (scene.getMaterialByName('naive-board') as StandardMaterial | null) ?? flat(scene, 'naive-board', new Color3(0.22, 0.24, 0.28));
  const plane = CreatePlane(`naive-${i}-face`, { size: 1, sideOrientation: Mesh.BACKSIDE }, scene);
  plane.parent = root;
  plane.position.z = DEPTH / 2 + 0.002;
  plane.scaling.set(width, height, 1);
  plane.material = material;
  const button = (scene.getMaterialByName('naive-button') as StandardMaterial | null) ?? flat(scene, 'naive-button', new Color3(0.17, 0.19, 0.22));
  const y = -(height + BORDER * 2) / 2 - GAP - CONTROL / 2;
  for (const k of [-1, 0, 1]) {
    const c = CreatePlane(`naive-${i}-control${k}`, { size: CONTROL, sideOrientation: Mesh.BACKSIDE }, scene);
    c.parent = root;
    c.position.set(k * (CONTROL + GAP), y, DEPTH / 2);
    c.material = button;
  }
  return root;
}
