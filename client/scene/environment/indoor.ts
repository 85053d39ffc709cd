/**
 * The room: floor, walls with window openings and the city beyond, ceiling with light fittings,
 * skirting and a chalk board, merged to one mesh per material.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateGround } from '@babylonjs/core/Meshes/Builders/groundBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { ROOM_HALF_SIZE, ROOM_HEIGHT } from '../../../shared/model/worlds';
import type { Look, WallSide } from './looks';
import { mergeInto, type Materials } from './materials';
import { surfaceTexture } from './surfaces';

const THICK = 0.1;
const SKIRTING = 0.12;
const HALF = ROOM_HALF_SIZE;

/**
 * A box against a wall, given in the wall's own terms: `along` metres from its centre, `y` up, `depth`
 * out of the wall into the room (negative: into the wall).
 */
function onWall(scene: Scene, side: WallSide, name: string, along: [number, number], y: [number, number], depth: [number, number]): Mesh {
  const length = along[1] - along[0];
  const height = y[1] - y[0];
  const thick = depth[1] - depth[0];
  const alongX = side === 'z-' || side === 'z+';
  const box = CreateBox(name, { width: alongX ? length : thick, depth: alongX ? thick : length, height }, scene);
  const mid = (along[0] + along[1]) / 2;
  // distance of the box centre from the room centre, along the wall's normal
  const out = HALF - (depth[0] + depth[1]) / 2;
  const sign = side.endsWith('+') ? 1 : -1;
  if (alongX) box.position.set(mid, (y[0] + y[1]) / 2, sign * out);
  else box.position.set(sign * out, (y[0] + y[1]) / 2, mid);
  return box;
}

const SIDES: WallSide[] = ['x-', 'x+', 'z-', 'z+'];

interface Opening {
  from: number;
  to: number;
}

function windowOpenings(look: Look): Opening[] {
  const w = look.windows;
  if (!w) return [];
  const pier = 0.35;
  const each = (w.to - w.from - pier * (w.count - 1)) / w.count;
  return Array.from({ length: w.count }, (_, i) => ({ from: w.from + i * (each + pier), to: w.from + i * (each + pier) + each }));
}

export function buildIndoor(scene: Scene, look: Look, root: TransformNode, materials: Materials): Mesh[] {
  const size = HALF * 2;
  const floor = CreateGround('floor', { width: size, height: size }, scene);
  const ceiling = CreateGround('ceiling', { width: size, height: size }, scene);
  ceiling.position.y = ROOM_HEIGHT;
  ceiling.rotation.x = Math.PI; // ground faces up; the ceiling must face down into the room

  const walls: Mesh[] = [];
  const trim: Mesh[] = [];
  const openings = windowOpenings(look);
  const win = look.windows;
  const span = HALF + THICK;
  for (const side of SIDES) {
    const holes = win && win.wall === side ? openings : [];
    // solid piers between openings, and the wall below the sill and above the head of each
    let at = -span;
    for (const hole of holes) {
      walls.push(onWall(scene, side, 'wall', [at, hole.from], [0, ROOM_HEIGHT], [-THICK, 0]));
      walls.push(onWall(scene, side, 'wall', [hole.from, hole.to], [0, win!.sill], [-THICK, 0]));
      walls.push(onWall(scene, side, 'wall', [hole.from, hole.to], [win!.head, ROOM_HEIGHT], [-THICK, 0]));
      // frame: sill ledge, head, jambs and a mullion splitting the pane
      trim.push(onWall(scene, side, 'sill', [hole.from - 0.05, hole.to + 0.05], [win!.sill - 0.04, win!.sill], [-THICK, 0.08]));
      trim.push(onWall(scene, side, 'head', [hole.from, hole.to], [win!.head, win!.head + 0.05], [-THICK, 0.02]));
      for (const x of [hole.from, (hole.from + hole.to) / 2, hole.to]) trim.push(onWall(scene, side, 'jamb', [x - 0.03, x + 0.03], [win!.sill, win!.head], [-THICK, 0.02]));
      trim.push(onWall(scene, side, 'transom', [hole.from, hole.to], [win!.head - 0.6, win!.head - 0.56], [-THICK * 0.6, -THICK * 0.4]));
      at = hole.to;
    }
    walls.push(onWall(scene, side, 'wall', [at, span], [0, ROOM_HEIGHT], [-THICK, 0]));
    trim.push(onWall(scene, side, 'skirting', [-HALF, HALF], [0, SKIRTING], [0, 0.02]));
  }

  const glow: Mesh[] = [];
  if (look.fixtures === 'panels') {
    for (const x of [-4.8, 0, 4.8]) for (const z of [-4.8, 0, 4.8]) {
      const panel = CreateBox('panel', { width: 1.2, depth: 0.6, height: 0.04 }, scene);
      panel.position.set(x, ROOM_HEIGHT - 0.02, z);
      glow.push(panel);
    }
  } else if (look.fixtures === 'tracks') {
    for (const z of [-4.5, 0, 4.5]) {
      const track = CreateBox('track', { width: size - 2, depth: 0.06, height: 0.05 }, scene);
      track.position.set(0, ROOM_HEIGHT - 0.1, z);
      trim.push(track);
      for (let x = -6; x <= 6; x += 2) {
        const spot = CreateBox('spot', { width: 0.14, depth: 0.14, height: 0.22 }, scene);
        spot.position.set(x, ROOM_HEIGHT - 0.24, z);
        glow.push(spot);
      }
    }
  }

  const ceilingMaterial = materials.surface('ceiling', look.ceiling);
  // light bounced up from the floor and the fittings' glow, which image-based light alone undersells
  ceilingMaterial.emissiveColor = Color3.FromHexString(look.ceiling.colour).scale(0.12);
  const meshes = [
    mergeInto(root, 'floor', [floor], materials.surface('floor', look.floor), true),
    mergeInto(root, 'ceiling', [ceiling], ceilingMaterial),
    mergeInto(root, 'walls', walls, materials.surface('walls', look.walls)),
    mergeInto(root, 'trim', trim, materials.surface('trim', look.trim)),
  ];
  if (glow.length) meshes.push(mergeInto(root, 'lights', glow, materials.glow('lights', '#fffdf6')));
  if (look.board) {
    const b = look.board;
    const board = onWall(scene, b.wall, 'board', [b.from, b.to], [b.bottom, b.top], [0, 0.03]);
    meshes.push(mergeInto(root, 'board', [board], materials.surface('board', { colour: '#ffffff', surface: 'greenboard', roughness: 0.8 }, { picture: true })));
  }
  if (win) meshes.push(windowView(scene, win.wall, root, materials));
  return meshes;
}

/** The city beyond the windows: one unlit painted plane a little outside the wall. */
function windowView(scene: Scene, side: WallSide, root: TransformNode, materials: Materials): Mesh {
  const view = CreatePlane('view', { width: 40, height: 16 }, scene);
  const out = HALF + 6;
  const sign = side.endsWith('+') ? 1 : -1;
  if (side.startsWith('x')) {
    view.position.set(sign * out, 3, 0);
    view.rotation.y = Math.PI / 2;
  } else view.position.set(0, 3, sign * out);
  const material = materials.glow('view', '#ffffff', surfaceTexture(scene, 'skyline'));
  material.backFaceCulling = false;
  return mergeInto(root, 'view', [view], material);
}
