/**
 * The committed kit models: each is what the client's per-kind instancing and draw-call budget
 * assume (one mesh, one primitive, one material), fits its catalogue size standing on the floor,
 * carries everything it needs inside the file, and is exactly what `npm run assets` builds now.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NodeIO, type Document } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_KINDS, PROP_CATALOGUE } from '../../shared/model/props';
import { buildAll, kitCatalogue, KITS_DIR, PALETTE_FILE } from '../buildAssets.mjs';

const SIZE_TOLERANCE = 0.02;
const MAX_TRIANGLES = 5000;
const MAX_KITS_BYTES = 1.5 * 1024 * 1024;

const committed = (file: string): Uint8Array => new Uint8Array(readFileSync(path.join(KITS_DIR, file)));

/** The JSON chunk of a .glb: what a loader reads to find buffers and images. */
function glbJson(bytes: Uint8Array): { images?: { uri?: string; bufferView?: number }[]; buffers?: { uri?: string }[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // 'glTF'
  const length = view.getUint32(12, true);
  expect(view.getUint32(16, true)).toBe(0x4e4f534a); // 'JSON'
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as ReturnType<typeof glbJson>;
}

async function read(file: string): Promise<Document> {
  return new NodeIO().readBinary(committed(file));
}

describe('kit models', () => {
  it('the generator draws exactly the catalogue: the same kinds, files and sizes', () => {
    const kits = kitCatalogue();
    expect(Object.keys(kits).sort()).toEqual([...CATALOGUE_KINDS].sort());
    for (const kind of CATALOGUE_KINDS) {
      expect(kits[kind], kind).toEqual({ file: PROP_CATALOGUE[kind].file, size: [...PROP_CATALOGUE[kind].size] });
    }
  });

  for (const kind of CATALOGUE_KINDS) {
    const { file, size } = PROP_CATALOGUE[kind];
    it(`${file}: one mesh, one primitive, one material, self-contained, fits ${size.join(' x ')} m on the floor`, async () => {
      const doc = await read(file);
      const root = doc.getRoot();
      expect(root.listMeshes()).toHaveLength(1);
      const primitives = root.listMeshes()[0]!.listPrimitives();
      expect(primitives).toHaveLength(1);
      expect(root.listMaterials()).toHaveLength(1);
      const prim = primitives[0]!;
      expect(prim.getMaterial()).toBe(root.listMaterials()[0]);

      const json = glbJson(committed(file));
      for (const buffer of json.buffers ?? []) expect(buffer.uri).toBeUndefined();
      expect(json.images?.length).toBeGreaterThan(0);
      for (const image of json.images ?? []) {
        expect(image.uri).toBeUndefined();
        expect(image.bufferView).toBeTypeOf('number');
      }
      expect(root.listMaterials()[0]!.getBaseColorTexture()?.getImage()?.byteLength).toBeGreaterThan(0);

      const positions = prim.getAttribute('POSITION')!.getArray()!;
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < positions.length; i++) {
        min[i % 3] = Math.min(min[i % 3]!, positions[i]!);
        max[i % 3] = Math.max(max[i % 3]!, positions[i]!);
      }
      expect(min[1]).toBe(0);
      for (let a = 0; a < 3; a++) {
        const extent = max[a]! - min[a]!;
        const want: number = size[a]!;
        expect(Math.abs(extent - want) / want, `${'xyz'[a]} extent ${extent}`).toBeLessThanOrEqual(SIZE_TOLERANCE);
        if (a !== 1) expect(Math.abs(max[a]! + min[a]!) / 2, `centred on ${'xyz'[a]}`).toBeLessThan(0.005);
      }

      const indices = prim.getIndices()!.getArray()!;
      expect(indices.length % 3).toBe(0);
      expect(indices.length / 3).toBeLessThan(MAX_TRIANGLES);
      // every triangle winds counter-clockwise seen from the side its normals point to, so none is culled from outside
      const normals = prim.getAttribute('NORMAL')!.getArray()!;
      let inward = 0;
      // and the faces wind outwards: the signed volume they enclose is positive (negative for a model turned inside out)
      let volume = 0;
      for (let t = 0; t < indices.length; t += 3) {
        const [a, b, c] = [indices[t]!, indices[t + 1]!, indices[t + 2]!].map((i) => i * 3);
        const u = [0, 1, 2].map((k) => positions[b! + k]! - positions[a! + k]!);
        const v = [0, 1, 2].map((k) => positions[c! + k]! - positions[a! + k]!);
        const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
        const mean = [0, 1, 2].map((k) => normals[a! + k]! + normals[b! + k]! + normals[c! + k]!);
        if (n[0]! * mean[0]! + n[1]! * mean[1]! + n[2]! * mean[2]! < 0) inward++;
        volume += (positions[a!]! * n[0]! + positions[a! + 1]! * n[1]! + positions[a! + 2]! * n[2]!) / 6;
      }
      expect(inward).toBe(0);
      expect(volume).toBeGreaterThan(0);
    });
  }

  it('assets/kits holds only the built files and stays small', () => {
    const names = readdirSync(KITS_DIR).sort();
    expect(names).toEqual([...CATALOGUE_KINDS.map((k) => PROP_CATALOGUE[k].file), PALETTE_FILE].sort());
    const total = names.reduce((sum, name) => sum + statSync(path.join(KITS_DIR, name)).size, 0);
    expect(total).toBeLessThan(MAX_KITS_BYTES);
  });

  it('rebuilding gives the committed files byte for byte (run `npm run assets` after changing a drawing)', async () => {
    const { files } = await buildAll();
    for (const [name, bytes] of files) {
      expect(Buffer.from(bytes).equals(Buffer.from(committed(name))), `${name} differs from what scripts/buildAssets.mjs builds`).toBe(true);
    }
  });
});
