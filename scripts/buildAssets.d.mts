/** Types for buildAssets.mjs. */
export const KITS_DIR: string;
export const PALETTE_FILE: string;
/** Each kit's file and its size at scale 1 (x, y, z metres), by kind. */
export function kitCatalogue(): Record<string, { file: string; size: [number, number, number] }>;
/** One kit's vertex arrays, fitted to its size, standing on y = 0. */
export function kitGeometry(kind: string): { positions: Float32Array; normals: Float32Array; uvs: Float32Array; indices: Uint16Array | Uint32Array; triangles: number };
/** One kit as .glb bytes. */
export function buildKit(kind: string): Promise<{ bytes: Uint8Array; triangles: number }>;
/** Every output file (the .glb models and the palette), name → bytes, built in memory. */
export function buildAll(): Promise<{ files: Map<string, Uint8Array>; triangles: Record<string, number> }>;
