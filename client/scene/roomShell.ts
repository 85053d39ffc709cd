/** The room itself: floor, walls, ceiling and light, coloured by the world's template. */
import type { Scene } from '@babylonjs/core/scene';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight';
import { PointLight } from '@babylonjs/core/Lights/pointLight';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateGround } from '@babylonjs/core/Meshes/Builders/groundBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { ROOM_HALF_SIZE, ROOM_HEIGHT, WORLD_TEMPLATES, type WorldTemplate } from '../../shared/model/worlds';

const WALL_THICKNESS = 0.1;
const SKIRTING_HEIGHT = 0.12;

export function paletteOf(templateId: string): WorldTemplate['palette'] {
  const templates: Record<string, WorldTemplate> = WORLD_TEMPLATES;
  return (templates[templateId] ?? WORLD_TEMPLATES.office).palette;
}

function material(scene: Scene, name: string, hex: string, specular = 0.05): StandardMaterial {
  const m = new StandardMaterial(name, scene);
  m.diffuseColor = Color3.FromHexString(hex);
  m.specularColor = new Color3(specular, specular, specular);
  return m;
}

/** Builds the shell under one node; none of it is pickable, so pointer rays only find documents. */
export function buildRoomShell(scene: Scene, templateId: string): TransformNode {
  const palette = paletteOf(templateId);
  const root = new TransformNode('room', scene);
  const size = ROOM_HALF_SIZE * 2;
  scene.clearColor = Color4.FromColor3(Color3.FromHexString(palette.walls).scale(0.6), 1);
  scene.ambientColor = new Color3(0.25, 0.25, 0.25);

  const sky = new HemisphericLight('ambient', new Vector3(0, 1, 0), scene);
  sky.intensity = 0.75;
  sky.groundColor = new Color3(0.35, 0.35, 0.38);
  const lamp = new PointLight('lamp', new Vector3(0, ROOM_HEIGHT - 0.3, 0), scene);
  lamp.intensity = 0.45;
  lamp.range = size * 1.5;

  const floor = CreateGround('floor', { width: size, height: size }, scene);
  floor.material = material(scene, 'floor', palette.floor);
  const ceiling = CreateGround('ceiling', { width: size, height: size }, scene);
  ceiling.position.y = ROOM_HEIGHT;
  ceiling.rotation.x = Math.PI; // ground faces up; the ceiling must face down into the room
  const ceilingMat = material(scene, 'ceiling', '#f4f4f2');
  // the lights barely reach a downward face; a little glow keeps the ceiling from looking like a void
  ceilingMat.emissiveColor = new Color3(0.45, 0.45, 0.44);
  ceiling.material = ceilingMat;

  const wallMat = material(scene, 'walls', palette.walls);
  const accentMat = material(scene, 'accent', palette.accent, 0.2);
  const half = ROOM_HALF_SIZE + WALL_THICKNESS / 2;
  const walls: Array<{ name: string; x: number; z: number; alongX: boolean }> = [
    { name: 'front', x: 0, z: -half, alongX: true },
    { name: 'back', x: 0, z: half, alongX: true },
    { name: 'left', x: -half, z: 0, alongX: false },
    { name: 'right', x: half, z: 0, alongX: false },
  ];
  const parts: Mesh[] = [floor, ceiling];
  for (const w of walls) {
    const width = w.alongX ? size + WALL_THICKNESS * 2 : WALL_THICKNESS;
    const depth = w.alongX ? WALL_THICKNESS : size;
    const wall = CreateBox(`wall-${w.name}`, { width, depth, height: ROOM_HEIGHT }, scene);
    wall.position.set(w.x, ROOM_HEIGHT / 2, w.z);
    wall.material = wallMat;
    // an accent skirting board gives the eye a horizon line and the template its colour
    const skirting = CreateBox(`skirting-${w.name}`, { width: width + 0.02, depth: depth + 0.04, height: SKIRTING_HEIGHT }, scene);
    skirting.position.set(w.x, SKIRTING_HEIGHT / 2, w.z);
    skirting.material = accentMat;
    parts.push(wall, skirting);
  }
  for (const part of parts) {
    part.isPickable = false;
    part.parent = root;
  }
  return root;
}
