/**
 * `npm run assets`: builds the furniture and prop models every server ships (`assets/kits/*.glb`)
 * and the palette they share (`assets/kits/palette.png`), from the drawings in scripts/assets/.
 *
 * Each model is one mesh, one primitive and one material, so the client draws all props of a kind
 * in one instanced call; the parts are coloured through a small palette texture embedded in the
 * file (no external URIs: each .glb is self-contained). The output is byte-for-byte repeatable,
 * and a unit test rebuilds it in memory and compares it with the committed files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, NodeIO, TextureInfo } from '@gltf-transform/core';
import { MeshBuilder } from './assets/geometry.mjs';
import { KITS } from './assets/kits.mjs';
import { glowingCells, paletteImages, uvOf } from './assets/palette.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KITS_DIR = path.join(ROOT, 'assets', 'kits');
export const PALETTE_FILE = 'palette.png';
/** The most a drawing may be stretched on any axis to fit its catalogue size: more means the drawing is wrong. */
const MAX_FIT_STRETCH = 0.12;

/**
 * Draws one kit and fits it to its size exactly: standing on y = 0, centred on x and z.
 * Returns the vertex arrays; throws when the drawing is far from its size.
 */
export function kitGeometry(kind) {
  const kit = KITS[kind];
  if (!kit) throw new Error(`No kit named "${kind}"; kits: ${Object.keys(KITS).join(', ')}`);
  const m = new MeshBuilder(uvOf);
  kit.draw(m);
  const p = m.positions;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i++) {
    min[i % 3] = Math.min(min[i % 3], p[i]);
    max[i % 3] = Math.max(max[i % 3], p[i]);
  }
  const scale = kit.size.map((s, a) => s / (max[a] - min[a]));
  scale.forEach((s, a) => {
    if (Math.abs(s - 1) > MAX_FIT_STRETCH) {
      throw new Error(`The ${kind} drawing is ${(max[a] - min[a]).toFixed(3)} m along ${'xyz'[a]} but its catalogue size is ${kit.size[a]} m: redraw it nearer that size`);
    }
  });
  const base = [(min[0] + max[0]) / 2, min[1], (min[2] + max[2]) / 2];
  const positions = new Float32Array(p.length);
  const normals = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    const n = [0, 1, 2].map((a) => m.normals[i + a] / scale[a]);
    const len = Math.hypot(n[0], n[1], n[2]);
    for (let a = 0; a < 3; a++) {
      positions[i + a] = (p[i + a] - base[a]) * scale[a];
      normals[i + a] = n[a] / len;
    }
  }
  // y stands exactly on 0 whatever float rounding did above
  for (let i = 1; i < positions.length; i += 3) if (positions[i] < 0) positions[i] = 0;
  const indices = m.vertexCount > 65535 ? new Uint32Array(m.indices) : new Uint16Array(m.indices);
  return { positions, normals, uvs: new Float32Array(m.uvs), indices, triangles: m.triangleCount };
}

/** One kit as a .glb: a single node holding a single mesh, primitive and material. */
export async function buildKit(kind, images = paletteImages()) {
  const geo = kitGeometry(kind);
  const doc = new Document();
  // a fixed generator string: the default names the library's version, which would change the bytes on every upgrade
  doc.getRoot().getAsset().generator = 'Document Workflow Chain scripts/buildAssets.mjs';
  const buffer = doc.createBuffer();
  const attr = (type, array) => doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const nearest = (info) => info?.setMagFilter(TextureInfo.MagFilter.NEAREST).setMinFilter(TextureInfo.MinFilter.NEAREST);
  const texture = (name, bytes) => doc.createTexture(name).setImage(new Uint8Array(bytes)).setMimeType('image/png');

  const material = doc
    .createMaterial(kind)
    .setBaseColorTexture(texture('palette', images.color))
    .setMetallicRoughnessTexture(texture('palette-metal-roughness', images.metallicRoughness))
    .setRoughnessFactor(1)
    .setMetallicFactor(1);
  // each cell is flat colour: sampling the nearest texel keeps neighbouring cells from bleeding in
  nearest(material.getBaseColorTextureInfo());
  nearest(material.getMetallicRoughnessTextureInfo());
  if (glowingCells().length > 0 && usesGlow(geo.uvs)) {
    material.setEmissiveTexture(texture('palette-emissive', images.emissive)).setEmissiveFactor([1, 1, 1]);
    nearest(material.getEmissiveTextureInfo());
  }

  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', attr('VEC3', geo.positions))
    .setAttribute('NORMAL', attr('VEC3', geo.normals))
    .setAttribute('TEXCOORD_0', attr('VEC2', geo.uvs))
    .setIndices(attr('SCALAR', geo.indices))
    .setMaterial(material);
  const mesh = doc.createMesh(kind).addPrimitive(primitive);
  const node = doc.createNode(kind).setMesh(mesh);
  doc.createScene(kind).addChild(node);
  doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]);
  return { bytes: await new NodeIO().writeBinary(doc), triangles: geo.triangles };
}

/** Whether any vertex points at a glowing cell, so models without lights carry no emissive image. */
function usesGlow(uvs) {
  const glow = new Set(glowingCells().map((c) => uvOf(c).join(',')));
  for (let i = 0; i < uvs.length; i += 2) if (glow.has(`${uvs[i]},${uvs[i + 1]}`)) return true;
  return false;
}

/** Each kit's file and its size at scale 1, by kind: what the catalogue in shared/model/props.ts must list. */
export function kitCatalogue() {
  return Object.fromEntries(Object.entries(KITS).map(([kind, kit]) => [kind, { file: kit.file, size: [...kit.size] }]));
}

/** Every output file, name → bytes, built in memory. */
export async function buildAll() {
  const images = paletteImages();
  const files = new Map([[PALETTE_FILE, new Uint8Array(images.color)]]);
  const triangles = {};
  for (const [kind, kit] of Object.entries(KITS)) {
    const built = await buildKit(kind, images);
    files.set(kit.file, built.bytes);
    triangles[kind] = built.triangles;
  }
  return { files, triangles };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, triangles } = await buildAll();
  mkdirSync(KITS_DIR, { recursive: true });
  let total = 0;
  for (const [name, bytes] of files) {
    writeFileSync(path.join(KITS_DIR, name), bytes);
    total += bytes.length;
    const kind = Object.keys(KITS).find((k) => KITS[k].file === name);
    process.stdout.write(`${name.padEnd(20)} ${String(bytes.length).padStart(7)} bytes${kind ? `  ${triangles[kind]} triangles` : ''}\n`);
  }
  process.stdout.write(`${files.size} files, ${total} bytes in assets/kits\n`);
}
