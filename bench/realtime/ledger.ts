/**
 * How a pose's send time reaches the bots that observe it. Every bot runs in worker threads of one
 * generator process, so senders and observers share memory and one clock
 * (performance.timeOrigin + performance.now(), the same in every thread of a process). A sender
 * writes (sequence, send time, the head's x and z as float32) into its ring before it sends.
 * Transports that carry our own bytes (ws, socket.io) also carry the sender and sequence, and the
 * observer looks the send time up directly. Colyseus rooms carry only the state, so the observer
 * finds the sequence whose head position is what it decoded, within 0.6 mm (a crowded world sends
 * positions quantised to the millimetre) while bots move centimetres per frame, so the first match
 * after the last one is the pose that made the change. Nothing here is sent to the server or influences what it does.
 */
export const RING = 512;

export interface LedgerBuffers {
  sendAt: SharedArrayBuffer;
  seq: SharedArrayBuffer;
  keys: SharedArrayBuffer;
  sent: SharedArrayBuffer;
}

export function newLedgerBuffers(slots: number): LedgerBuffers {
  return {
    sendAt: new SharedArrayBuffer(slots * RING * 8),
    seq: new SharedArrayBuffer(slots * RING * 4),
    keys: new SharedArrayBuffer(slots * RING * 2 * 4),
    sent: new SharedArrayBuffer(slots * 4),
  };
}

/** The shared clock in milliseconds. */
export const now = () => performance.timeOrigin + performance.now();

export class Ledger {
  private readonly sendAt: Float64Array;
  private readonly seqs: Int32Array;
  private readonly keys: Float32Array;
  private readonly sent: Int32Array;

  constructor(buffers: LedgerBuffers) {
    this.sendAt = new Float64Array(buffers.sendAt);
    this.seqs = new Int32Array(buffers.seq);
    this.keys = new Float32Array(buffers.keys);
    this.sent = new Int32Array(buffers.sent);
  }

  /** Records that `slot` sends pose number `seq` now, with this head position. */
  record(slot: number, seq: number, x: number, z: number, at: number): void {
    const i = slot * RING + (seq % RING);
    this.sendAt[i] = at;
    this.keys[i * 2] = x;
    this.keys[i * 2 + 1] = z;
    // the sequence goes last: a reader that sees it sees the rest
    Atomics.store(this.seqs, i, seq + 1);
    Atomics.store(this.sent, slot, seq + 1);
  }

  /** How many poses `slot` has sent. */
  sentBy(slot: number): number {
    return Atomics.load(this.sent, slot);
  }

  /** Send time of pose `seq` of `slot`, or NaN when it has been overwritten or never sent. */
  sendTime(slot: number, seq: number): number {
    const i = slot * RING + (seq % RING);
    return Atomics.load(this.seqs, i) === seq + 1 ? this.sendAt[i]! : NaN;
  }

  /** Head position (x, z) of pose `seq` of `slot`, or undefined when it has been overwritten or never sent. */
  positionOf(slot: number, seq: number): [number, number] | undefined {
    const i = slot * RING + (seq % RING);
    return Atomics.load(this.seqs, i) === seq + 1 ? [this.keys[i * 2]!, this.keys[i * 2 + 1]!] : undefined;
  }

  /**
   * The first pose of `slot` after `after` whose head position is (x, z), as float32; -1 when none
   * of the poses still in the ring matches.
   */
  match(slot: number, after: number, x: number, z: number): number {
    const newest = this.sentBy(slot) - 1;
    const from = Math.max(after + 1, newest - RING + 1, 0);
    const fx = Math.fround(x), fz = Math.fround(z);
    for (let s = from; s <= newest; s++) {
      const i = slot * RING + (s % RING);
      if (Atomics.load(this.seqs, i) !== s + 1) continue;
      if (Math.abs(this.keys[i * 2]! - fx) < 6e-4 && Math.abs(this.keys[i * 2 + 1]! - fz) < 6e-4) return s;
    }
    return -1;
  }
}
