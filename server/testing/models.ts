/**
 * Small glTF models for tests of prop uploads, made with the same library the server checks them
 * with: a valid one, and ones that break a single rule each.
 */
import { Document, NodeIO } from '@gltf-transform/core';

const io = () => new NodeIO();

/** A model of `triangles` triangles (indexed, over three shared vertices), with an optional texture. */
export async function glbModel(o: { triangles?: number; texture?: Uint8Array; name?: string } = {}): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const count = (o.triangles ?? 1) * 3;
  const indices = doc.createAccessor().setType('SCALAR').setArray(new Uint16Array(count).map((_, i) => i % 3)).setBuffer(buffer);
  const prim = doc.createPrimitive().setAttribute('POSITION', position).setIndices(indices);
  if (o.texture) {
    const texture = doc.createTexture('skin').setImage(o.texture).setMimeType('image/png');
    prim.setMaterial(doc.createMaterial('m').setBaseColorTexture(texture));
  }
  const mesh = doc.createMesh(o.name ?? 'model').addPrimitive(prim);
  doc.createScene().addChild(doc.createNode('root').setMesh(mesh));
  return io().writeBinary(doc);
}

/** The first bytes of a PNG whose header claims this size: enough for the size to be read. */
export function pngHeader(width: number, height: number): Uint8Array {
  const png = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'ascii');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.set([8, 6, 0, 0, 0], 24);
  return png;
}

/** A .gltf (JSON) whose buffer lies in another file, named by `uri`. */
export function gltfWithExternalBuffer(uri: string): Uint8Array {
  const json = {
    asset: { version: '2.0' },
    buffers: [{ uri, byteLength: 36 }],
    bufferViews: [{ buffer: 0, byteLength: 36 }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    nodes: [{ mesh: 0 }],
    scenes: [{ nodes: [0] }],
  };
  return Buffer.from(JSON.stringify(json), 'utf8');
}

/** The same triangle as a .gltf with its buffer inside, as a data: URI. */
export function gltfEmbedded(): Uint8Array {
  const data = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer).toString('base64');
  return gltfWithExternalBuffer(`data:application/octet-stream;base64,${data}`);
}
