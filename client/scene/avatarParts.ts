/**
 * The pieces of a stylised avatar, built from primitives and merged so each avatar draws in a few
 * calls: one mesh for the head with its face, hair, headwear and glasses, one for neck, torso and
 * trousers, one per hand. Colours are vertex colours under one material shared by every avatar in
 * the scene, so fifty people cost no more materials than one. Forward is -Z, as for the camera.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateCapsule } from '@babylonjs/core/Meshes/Builders/capsuleBuilder';
import { CreateCylinder } from '@babylonjs/core/Meshes/Builders/cylinderBuilder';
import { CreateSphere } from '@babylonjs/core/Meshes/Builders/sphereBuilder';
import { CreateTorus } from '@babylonjs/core/Meshes/Builders/torusBuilder';
import { CreateTube } from '@babylonjs/core/Meshes/Builders/tubeBuilder';
import type { AvatarLook } from '../../shared/protocol';

/** Head radius (the head is a little taller than wide). */
export const HEAD_RADIUS = 0.12;
const HEAD_STRETCH = 1.1;
/** Where the torso's centre hangs below the head's centre, and its half height. */
export const TORSO_DROP = 0.48;
const TORSO_HALF = 0.28;
/** Where a hand rests when nothing tracks it, below the head and to the side (torso frame). */
export const RESTING_HAND = { x: 0.25, y: -0.64, z: -0.03 } as const;
/** Eye height on the head; the glasses and the mouth sit by it. */
const EYE_Y = 0.02;
const EYE_X = 0.045;
const TROUSERS = '#343a46';
const FRAME = '#22252b';
const HEADPHONES = '#2b2e35';

const shared = new WeakMap<Scene, StandardMaterial>();

/** The one material every avatar part uses: it takes its colours from the vertices. */
export function avatarMaterial(scene: Scene): StandardMaterial {
  let m = shared.get(scene);
  // a material disposed with everything else (a world left) is made again
  if (!m || !scene.materials.includes(m)) {
    m = new StandardMaterial('avatar-shared', scene);
    m.diffuseColor = Color3.White();
    m.specularColor = new Color3(0.08, 0.08, 0.08);
    // a little self-light so shaded sides stay colourful rather than muddy
    m.emissiveColor = new Color3(0.12, 0.12, 0.12);
    shared.set(scene, m);
  }
  return m;
}

/** Colours every vertex of `mesh`; `pick` may choose per vertex (e.g. trousers below the belt). */
function paint(mesh: Mesh, colour: string, pick?: (y: number) => string): Mesh {
  const positions = mesh.getVerticesData(VertexBuffer.PositionKind)!;
  const n = positions.length / 3;
  const out = new Float32Array(n * 4);
  const cache = new Map<string, Color3>();
  const rgb = (hex: string) => cache.get(hex) ?? cache.set(hex, Color3.FromHexString(hex)).get(hex)!;
  for (let i = 0; i < n; i++) {
    const c = rgb(pick ? pick(positions[i * 3 + 1]!) : colour);
    out.set([c.r, c.g, c.b, 1], i * 4);
  }
  mesh.setVerticesData(VertexBuffer.ColorKind, out);
  return mesh;
}

function at<T extends Mesh>(mesh: T, x: number, y: number, z: number, rx = 0, ry = 0, rz = 0): T {
  mesh.position.set(x, y, z);
  mesh.rotation.set(rx, ry, rz);
  return mesh;
}

function merge(scene: Scene, name: string, parts: Mesh[]): Mesh {
  const merged = Mesh.MergeMeshes(parts, true, true)!;
  merged.name = name;
  merged.material = avatarMaterial(scene);
  merged.isPickable = false;
  return merged;
}

/** A hemisphere-ish cap over the head, tipped back so the forehead shows. */
function cap(scene: Scene, diameter: number, slice: number, tilt: number, colour: string, stretch = HEAD_STRETCH): Mesh {
  const m = CreateSphere('cap', { diameter, slice, segments: 14, sideOrientation: Mesh.DOUBLESIDE }, scene);
  m.scaling.y = stretch;
  return paint(at(m, 0, 0.012, 0.004, tilt), colour);
}

function hair(scene: Scene, look: AvatarLook, covered: boolean): Mesh[] {
  const c = look.hairColour;
  const parts: Mesh[] = [];
  if (look.hair === 'none') return parts;
  if (!covered) parts.push(cap(scene, 0.256, 0.52, 0.38, c));
  if (look.hair === 'long') {
    // falls behind the head to the shoulders, wider than the head so it shows at the sides
    const drape = CreateSphere('drape', { diameter: 0.27, segments: 12 }, scene);
    drape.scaling.set(1.02, 1.45, 0.8);
    parts.push(paint(at(drape, 0, -0.07, 0.05), c));
  }
  if (look.hair === 'curly' && !covered) {
    for (const [elev, count] of [[0.35, 9], [0.85, 6], [1.3, 1]] as const) {
      for (let i = 0; i < count; i++) {
        const az = (i / count) * Math.PI * 2 + elev;
        const dir = new Vector3(Math.sin(az) * Math.cos(elev), Math.sin(elev) * HEAD_STRETCH, Math.cos(az) * Math.cos(elev));
        // no curls over the face
        if (dir.z < -0.55 && elev < 0.6) continue;
        const curl = CreateSphere('curl', { diameter: 0.085, segments: 6 }, scene);
        parts.push(paint(at(curl, dir.x * 0.122, dir.y * 0.122 + 0.015, dir.z * 0.122 + 0.01), c));
      }
    }
  }
  if (look.hair === 'bun' && !covered) parts.push(paint(at(CreateSphere('bun', { diameter: 0.1, segments: 10 }, scene), 0, 0.12, 0.075), c));
  return parts;
}

function headwear(scene: Scene, look: AvatarLook): Mesh[] {
  switch (look.headwear) {
    case 'none':
      return [];
    case 'cap': {
      const brim = CreateCylinder('brim', { diameter: 0.19, height: 0.012, tessellation: 20 }, scene);
      brim.scaling.z = 0.85;
      return [cap(scene, 0.262, 0.5, 0.12, look.body, 0.95), paint(at(brim, 0, 0.03, -0.125, 0.12), look.body)];
    }
    case 'beanie': {
      const rim = CreateTorus('rim', { diameter: 0.248, thickness: 0.034, tessellation: 20 }, scene);
      const pom = CreateSphere('pom', { diameter: 0.06, segments: 8 }, scene);
      return [cap(scene, 0.264, 0.55, 0.18, look.body, 1.15), paint(at(rim, 0, 0.025, 0.012, 0.18), look.body), paint(at(pom, 0, 0.165, 0.03), look.body)];
    }
    case 'headphones': {
      const band = Array.from({ length: 17 }, (_, i) => {
        const a = (i / 16) * Math.PI;
        return new Vector3(Math.cos(a) * 0.138, Math.sin(a) * 0.152 + 0.01, 0.01);
      });
      const parts = [paint(CreateTube('band', { path: band, radius: 0.012, tessellation: 8 }, scene), HEADPHONES)];
      for (const side of [-1, 1]) parts.push(paint(at(CreateCylinder('cup', { diameter: 0.085, height: 0.04, tessellation: 16 }, scene), side * 0.128, 0.005, 0.01, 0, 0, Math.PI / 2), HEADPHONES));
      return parts;
    }
  }
}

function glasses(scene: Scene, look: AvatarLook): Mesh[] {
  if (look.glasses === 'none') return [];
  const z = -0.146;
  const parts: Mesh[] = [];
  for (const side of [-1, 1]) {
    if (look.glasses === 'shades') {
      const lens = CreateCylinder('lens', { diameter: 0.058, height: 0.006, tessellation: 16 }, scene);
      lens.scaling.x = 1.15;
      parts.push(paint(at(lens, side * EYE_X, EYE_Y, z, Math.PI / 2), '#0c0d10'));
    } else {
      const square = look.glasses === 'square';
      const rim = CreateTorus('rim', { diameter: square ? 0.07 : 0.056, thickness: 0.008, tessellation: square ? 4 : 18 }, scene);
      // a four-sided torus is a diamond; a quarter turn about its axis makes it a square frame
      if (square) {
        rim.rotation.y = Math.PI / 4;
        rim.bakeCurrentTransformIntoVertices();
      }
      parts.push(paint(at(rim, side * EYE_X, EYE_Y, z, Math.PI / 2), FRAME));
    }
    const arm = CreateBox('arm', { width: 0.006, height: 0.006, depth: 0.12 }, scene);
    parts.push(paint(at(arm, side * 0.118, EYE_Y + 0.005, -0.085, 0, side * 0.12), FRAME));
  }
  parts.push(paint(at(CreateCylinder('bridge', { diameter: 0.007, height: 0.034, tessellation: 6 }, scene), 0, EYE_Y + 0.006, z, 0, 0, Math.PI / 2), FRAME));
  return parts;
}

/** Head, eyes (so one can tell where they face), hair, headwear and glasses, as one mesh. */
export function buildHead(scene: Scene, name: string, look: AvatarLook): Mesh {
  const skull = CreateSphere('skull', { diameter: HEAD_RADIUS * 2, segments: 16 }, scene);
  skull.scaling.y = HEAD_STRETCH;
  const parts: Mesh[] = [paint(skull, look.skin)];
  for (const side of [-1, 1]) {
    parts.push(paint(at(CreateSphere('eye', { diameter: 0.052, segments: 8 }, scene), side * EYE_X, EYE_Y, -0.1), '#ffffff'));
    parts.push(paint(at(CreateSphere('pupil', { diameter: 0.028, segments: 8 }, scene), side * EYE_X, EYE_Y, -0.121), '#1a1c22'));
  }
  const nose = CreateSphere('nose', { diameter: 0.03, segments: 6 }, scene);
  parts.push(paint(at(nose, 0, -0.018, -0.12), look.skin));
  const covered = look.headwear === 'cap' || look.headwear === 'beanie';
  parts.push(...hair(scene, look, covered), ...headwear(scene, look), ...glasses(scene, look));
  return merge(scene, name, parts);
}

/** Neck, a rounded torso in the shirt colour, trousers below the belt: one mesh, hung from the head's height. */
export function buildTorso(scene: Scene, name: string, look: AvatarLook): Mesh {
  const neck = paint(at(CreateCylinder('neck', { diameter: 0.085, height: 0.17, tessellation: 12 }, scene), 0, -0.19, 0.005), look.skin);
  const body = CreateCapsule('torso', { height: TORSO_HALF * 2, radius: 0.165, tessellation: 16, subdivisions: 4 }, scene);
  body.scaling.set(1.15, 1, 0.72);
  at(body, 0, -TORSO_DROP, 0.01);
  body.bakeCurrentTransformIntoVertices();
  const belt = -TORSO_DROP - TORSO_HALF * 0.45;
  paint(body, look.body, (y) => (y < belt ? TROUSERS : look.body));
  return merge(scene, name, [neck, body]);
}

/** A mitten of a hand in skin colour, with a cuff of the shirt colour behind it. */
export function buildHand(scene: Scene, name: string, look: AvatarLook): Mesh {
  const palm = CreateSphere('palm', { diameter: 0.085, segments: 8 }, scene);
  palm.scaling.set(0.85, 0.6, 1.15);
  const cuff = CreateCylinder('cuff', { diameter: 0.07, height: 0.04, tessellation: 10 }, scene);
  return merge(scene, name, [paint(palm, look.skin), paint(at(cuff, 0, 0, 0.06, Math.PI / 2), look.body)]);
}

/** A dark mouth, made only for someone who starts talking; scaled open and shut by the voice level. */
export function buildMouth(scene: Scene, name: string): Mesh {
  return merge(scene, name, [paint(CreateSphere('mouth', { diameter: 0.05, segments: 8 }, scene), '#5a1f24')]);
}
