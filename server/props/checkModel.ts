/**
 * Checks an uploaded prop model before anyone's headset has to draw it: a glTF 2.0 binary (.glb),
 * or a .gltf whose buffers and images are all inside it (data: URIs), within the limits of
 * PROP_UPLOAD_LIMITS. References outside the file are refused before it is parsed, so reading it
 * never touches the server's disk or network; parse errors become refusals with the reason.
 */
import { Logger, NodeIO, type Document } from '@gltf-transform/core';
import { PROP_UPLOAD_LIMITS } from '../../shared/model/props';
import { ErrorCode } from '../../shared/protocol';
import { AppError } from '../errors';

/** A model that passed: as a .glb (a .gltf is repacked) and what it costs to draw. */
export interface CheckedModel {
  glb: Uint8Array;
  triangles: number;
  textures: number;
}

type Limits = { [K in keyof typeof PROP_UPLOAD_LIMITS]: number };

const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a; // "JSON"
const MODE = { TRIANGLES: 4, TRIANGLE_STRIP: 5, TRIANGLE_FAN: 6 } as const;

/**
 * Extensions whose data only a decoder can read. A browser's loader fetches those decoders from a
 * public host when a model uses them, which a self-hosted world must never do, so they are refused.
 */
const NEEDS_DECODER = ['KHR_draco_mesh_compression', 'EXT_meshopt_compression', 'KHR_texture_basisu', 'EXT_texture_avif'] as const;

const refuse = (message: string) => new AppError(ErrorCode.BAD_REQUEST, `This model cannot be used as a prop: ${message}`, 400);
const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** The glTF JSON of a .glb or a .gltf, or why it is neither. */
function readJsonPart(bytes: Uint8Array): { json: Record<string, unknown>; binary: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  let binary = false;
  if (bytes.byteLength >= 20 && view.getUint32(0, true) === GLB_MAGIC) {
    if (view.getUint32(4, true) !== 2) throw refuse('only glTF 2.0 files are accepted.');
    const chunkLength = view.getUint32(12, true);
    if (view.getUint32(16, true) !== JSON_CHUNK || 20 + chunkLength > bytes.byteLength) throw refuse('the .glb file is damaged (its JSON part is missing or cut short).');
    text = Buffer.from(bytes.buffer, bytes.byteOffset + 20, chunkLength).toString('utf8');
    binary = true;
  } else {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refuse('it is not a glTF model (.glb or .gltf).');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || typeof (json as { asset?: { version?: unknown } }).asset?.version !== 'string') {
    throw refuse('it is not a glTF model (.glb or .gltf): there is no "asset" with a version.');
  }
  return { json: json as Record<string, unknown>, binary };
}

/** Every buffer and image must be inside the file: a reference elsewhere is refused by name. */
function refuseExternal(json: Record<string, unknown>, binary: boolean): void {
  const listed = (key: string): Array<{ uri?: unknown }> => (Array.isArray(json[key]) ? (json[key] as Array<{ uri?: unknown }>) : []);
  for (const key of ['buffers', 'images']) {
    listed(key).forEach((item, i) => {
      const uri = item && typeof item === 'object' ? item.uri : undefined;
      if (uri === undefined) {
        // only a .glb has a binary chunk for a buffer without a uri; an image then lies in a buffer view
        if (key === 'buffers' && !binary) throw refuse(`buffer ${i} has no data.`);
        return;
      }
      if (typeof uri !== 'string' || !uri.startsWith('data:')) {
        throw refuse(`${key === 'buffers' ? 'buffer' : 'image'} ${i} refers to a file outside the model (${String(uri).slice(0, 80)}); pack everything into one .glb.`);
      }
    });
  }
}

async function parse(bytes: Uint8Array, json: Record<string, unknown>, binary: boolean): Promise<Document> {
  const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.SILENT));
  try {
    return binary ? await io.readBinary(bytes) : await io.readJSON({ json: json as never, resources: {} });
  } catch (err) {
    throw refuse(`it could not be read (${err instanceof Error ? err.message.slice(0, 200) : 'a parse error'}).`);
  }
}

/** Triangles drawn for one copy of each mesh, times the nodes that draw it. */
export function countTriangles(doc: Document): number {
  const ofMesh = new Map<object, number>();
  let total = 0;
  for (const mesh of doc.getRoot().listMeshes()) {
    let n = 0;
    for (const prim of mesh.listPrimitives()) {
      const vertices = prim.getIndices()?.getCount() ?? prim.getAttribute('POSITION')?.getCount() ?? 0;
      const mode = prim.getMode();
      if (mode === MODE.TRIANGLES) n += Math.floor(vertices / 3);
      else if (mode === MODE.TRIANGLE_STRIP || mode === MODE.TRIANGLE_FAN) n += Math.max(0, vertices - 2);
    }
    ofMesh.set(mesh, n);
  }
  for (const node of doc.getRoot().listNodes()) {
    const mesh = node.getMesh();
    if (mesh) total += ofMesh.get(mesh) ?? 0;
  }
  return total;
}

export async function checkModel(bytes: Uint8Array, limits: Limits = PROP_UPLOAD_LIMITS): Promise<CheckedModel> {
  if (bytes.byteLength > limits.bytes) throw new AppError(ErrorCode.TOO_LARGE, `This model is larger than the ${megabytes(limits.bytes)} a prop may be.`, 413);
  if (bytes.byteLength === 0) throw refuse('the file is empty.');
  const { json, binary } = readJsonPart(bytes);
  refuseExternal(json, binary);
  const extensions = Array.isArray(json.extensionsUsed) ? json.extensionsUsed.filter((e): e is string => typeof e === 'string') : [];
  const decoded = extensions.find((e) => (NEEDS_DECODER as readonly string[]).includes(e));
  if (decoded) throw refuse(`it is compressed with ${decoded}, which needs a decoder this server does not serve; export it without that compression.`);
  const images = Array.isArray(json.images) ? json.images.length : 0;
  if (images > limits.textures) throw refuse(`it has ${images} textures; a prop may have ${limits.textures}.`);
  const doc = await parse(bytes, json, binary);
  const triangles = countTriangles(doc);
  if (triangles > limits.triangles) throw refuse(`it has ${triangles.toLocaleString('en')} triangles; a prop may have ${limits.triangles.toLocaleString('en')}.`);
  const textures = doc.getRoot().listTextures();
  for (const [i, texture] of textures.entries()) {
    const size = texture.getSize();
    if (!size) throw refuse(`texture ${i} is not a PNG, JPEG or WebP image whose size can be read.`);
    const side = Math.max(size[0], size[1]);
    if (side > limits.textureSide) throw refuse(`texture ${i} is ${size[0]}×${size[1]} pixels; a side may be at most ${limits.textureSide}.`);
  }
  const glb = binary ? bytes : await new NodeIO().setLogger(new Logger(Logger.Verbosity.SILENT)).writeBinary(doc);
  return { glb, triangles, textures: textures.length };
}
