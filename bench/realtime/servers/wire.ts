/**
 * The binary pose record the `ws` baseline carries: sender slot, sequence, then head, left and right
 * hand as 7 float32 each. 90 bytes; a tick's batch is these records back to back.
 */
export const RECORD_BYTES = 2 + 4 + 21 * 4;

export function encodePose(slot: number, seq: number, poses: readonly number[]): Buffer {
  const b = Buffer.allocUnsafe(RECORD_BYTES);
  b.writeUInt16LE(slot, 0);
  b.writeUInt32LE(seq, 2);
  for (let i = 0; i < 21; i++) b.writeFloatLE(poses[i] ?? 0, 6 + i * 4);
  return b;
}

/** Calls `each` with (slot, seq, head x, head z) for every record in a batch. */
export function readBatch(batch: Uint8Array, each: (slot: number, seq: number, x: number, z: number) => void): void {
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  for (let o = 0; o + RECORD_BYTES <= batch.byteLength; o += RECORD_BYTES) {
    each(view.getUint16(o, true), view.getUint32(o + 2, true), view.getFloat32(o + 6, true), view.getFloat32(o + 14, true));
  }
}
