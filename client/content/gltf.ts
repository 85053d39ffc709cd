/**
 * Checks on a glTF model before it is loaded: its JSON (from a .gltf or the JSON chunk of a .glb)
 * and every resource it points to. A model that refers to files outside itself would make the
 * browser fetch them from wherever they point, so such models are refused.
 */
const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a; // "JSON"

export function isGlb(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === GLB_MAGIC;
}

/** The glTF JSON of a .glb or .gltf file; throws when there is none. */
export function gltfJson(bytes: Uint8Array): unknown {
  let text: string;
  if (isGlb(bytes)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = view.getUint32(12, true);
    if (view.getUint32(16, true) !== JSON_CHUNK || 20 + length > bytes.length) throw new Error('This GLB file has no JSON chunk.');
    text = new TextDecoder().decode(bytes.subarray(20, 20 + length));
  } else text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('This model file is not valid glTF.');
  }
}

/** Every `uri` in the glTF that is not embedded in the file itself (a data: URI). */
export function externalUris(json: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'uri' && typeof v === 'string' && !v.startsWith('data:')) found.push(v);
        else walk(v);
      }
    }
  };
  walk(json);
  return found;
}
