/**
 * Interest management for crowded worlds. While a world holds no more people than a client's
 * near set (INTEREST_NEAREST), poses travel in the state exactly as they always did. Past that,
 * sending everyone's motion to everyone costs N² bytes, so the room keeps each participant's latest
 * pose here instead of in the state and sends
 * - each client the full poses of the nearest K people within the radius that moved, levelled by
 *   distance: the nearest `fullRate` every patch, the others every second patch (one small binary
 *   message per client). Each pose is encoded once when it changes, quantised to 36 bytes at most,
 *   and a client's message is only those records laid side by side: O(N·K) copying, not encoding;
 * - everyone, at POSE_SUMMARY_HZ, one shared message with where the next share of the participants
 *   stands (9 bytes each, encoded once), taking turns so that the summary costs each client at most
 *   `summaryBytesPerSecond` however large the crowd: everyone is placed again every
 *   N × 9 / budget seconds.
 * Near sets are recomputed a few times a second from a grid of head positions, so finding them
 * looks only at nearby cells. It never writes the state itself: it says what to write, and the
 * room's core applies it.
 */
import type { Pose } from '../../shared/protocol';
import type { Effect } from '../../shared/model/world';
import { CROWD_RECORD, PoseMessage, encodeCrowd, encodeNear, yawOf, type CrowdRecord } from '../../shared/protocol/poseWire';
import type { WorldState } from '../../shared/schema/WorldState';
import type { PoseWrite } from './stateSync';

export interface InterestOptions {
  /** Full-rate neighbours per client; 0 turns interest management off (everyone full rate). */
  nearest: number;
  /** Interest management starts when a world holds more people than this. */
  above: number;
  /** Only people within this many metres count as near. */
  radius: number;
  /** Milliseconds between crowd summaries. */
  summaryMs: number;
  /** Of the nearest, how many get every patch; the rest get every second one (default: half of `nearest`, rounded up). */
  fullRate?: number;
  /** Bytes a second the crowd summary may cost each client (default 2,560). */
  summaryBytesPerSecond?: number;
}

/** What the summary may cost each client a second, unless told otherwise. */
export const SUMMARY_BYTES_PER_SECOND = 2560;

const RECOMPUTE_MS = 250;

interface Latest {
  head: Pose;
  left: Pose | null;
  right: Pose | null;
  version: number;
  /** This pose as a `poses` record, encoded once per change for every client that needs it. */
  record?: Uint8Array;
}

type PoseEffect = Extract<Effect, { op: 'pose' }>;

/** Where the near poses and the crowd summary go. */
export interface PoseOutlet {
  sendBytes(clientId: string, type: string, bytes: Uint8Array): void;
  /** One message made of these parts, `length` bytes in all; without it the parts are joined for sendBytes. */
  sendParts?(clientId: string, type: string, parts: readonly Uint8Array[], length: number): void;
  broadcast(type: string, bytes: Uint8Array): void;
}

export class Interest {
  private readonly latest = new Map<string, Latest>();
  private readonly numbers = new Map<string, number>();
  private readonly near = new Map<string, string[]>();
  /** Per client: the version of each near participant's pose it was last sent. */
  private readonly sent = new Map<string, Map<string, number>>();
  private crowded = false;
  private lastRecompute = -Infinity;
  private lastSummary = -Infinity;
  private version = 0;
  /** Patches sent while crowded: which second patch this is, for the further of the near. */
  private patches = 0;
  /** Where the next crowd summary starts, in the order participants are kept. */
  private summaryFrom = 0;
  private readonly fullRate: number;
  private readonly perSummary: number;
  /** Reused for every client's message: its records, and how many bytes they make. */
  private readonly parts: Uint8Array[] = [];

  constructor(private readonly opts: InterestOptions) {
    this.fullRate = Math.max(1, Math.min(opts.nearest, opts.fullRate ?? Math.ceil(opts.nearest / 2)));
    const budget = opts.summaryBytesPerSecond ?? SUMMARY_BYTES_PER_SECOND;
    // never so few that a crowd takes minutes to be placed
    this.perSummary = Math.max(32, Math.floor((budget * opts.summaryMs) / 1000 / CROWD_RECORD));
  }

  /** How many people each crowd summary places. */
  get summarySize(): number {
    return this.perSummary;
  }

  /** A small number naming `id` in binary messages, unique among those present. */
  numberFor(id: string): number {
    let n = this.numbers.get(id);
    if (n !== undefined) return n;
    const used = new Set(this.numbers.values());
    for (n = 0; used.has(n); n++);
    this.numbers.set(id, n);
    return n;
  }

  forget(id: string): void {
    this.numbers.delete(id);
    this.latest.delete(id);
    this.near.delete(id);
    this.sent.delete(id);
  }

  /**
   * What of a pose goes into the state. A small world: all of it, as always. A crowded one keeps
   * the pose here and writes only a changed device to the state (null: nothing to write).
   */
  take(effect: PoseEffect, state: WorldState): PoseWrite | null {
    // the pose effect itself is the write: no copy per pose, the busiest message there is
    if (!this.crowded) return effect;
    const { participantId, head, left, right, device } = effect;
    const p = state.participants.get(participantId);
    if (!p) return null;
    // kept in place: a crowd sends tens of thousands of poses a second, and each new object is garbage later
    const l = this.latest.get(participantId);
    if (l) {
      l.head = head;
      l.left = left;
      l.right = right;
      l.version = ++this.version;
      l.record = undefined;
    } else this.latest.set(participantId, { head, left, right, version: ++this.version });
    return device && p.device !== device ? { participantId, device } : null;
  }

  /**
   * After each patch: the near poses to each client, and now and then the crowd summary. Returns
   * the poses to write back to the state when the world has just stopped being crowded.
   */
  afterPatch(state: WorldState, clientIds: Iterable<string>, out: PoseOutlet, now: number): PoseWrite[] {
    const crowded = this.opts.nearest > 0 && state.participants.size > Math.max(this.opts.above, this.opts.nearest);
    let writes: PoseWrite[] = [];
    if (crowded !== this.crowded) {
      this.crowded = crowded;
      // back to a small world: the state carries poses again, starting from where everyone is
      if (!crowded) writes = this.handBack(state);
      // a world that just became crowded tells everyone where everyone is at once
      this.lastRecompute = -Infinity;
      this.lastSummary = -Infinity;
    }
    if (!crowded) return writes;
    if (now - this.lastRecompute >= RECOMPUTE_MS) {
      this.lastRecompute = now;
      this.recomputeNear(state);
    }
    this.patches++;
    const parts = this.parts;
    for (const clientId of clientIds) {
      const ids = this.near.get(clientId);
      if (!ids?.length) continue;
      let sent = this.sent.get(clientId);
      if (!sent) this.sent.set(clientId, (sent = new Map()));
      // the further of the near every second patch, half the clients on each, so no patch carries them all
      const further = ((this.patches + (this.numbers.get(clientId) ?? 0)) & 1) === 0;
      const upTo = further ? ids.length : Math.min(ids.length, this.fullRate);
      parts.length = 0;
      let length = 0;
      for (let i = 0; i < upTo; i++) {
        const id = ids[i]!;
        const l = this.latest.get(id);
        if (!l || (sent.get(id) ?? -1) >= l.version) continue;
        l.record ??= encodeNear({ n: this.numberFor(id), head: l.head, left: l.left, right: l.right });
        parts.push(l.record);
        length += l.record.byteLength;
        sent.set(id, l.version);
      }
      if (!parts.length) continue;
      if (out.sendParts) out.sendParts(clientId, PoseMessage.NEAR, parts, length);
      else out.sendBytes(clientId, PoseMessage.NEAR, Buffer.concat(parts, length));
    }
    if (now - this.lastSummary >= this.opts.summaryMs) {
      this.lastSummary = now;
      const summary = this.nextSummary(state);
      if (summary.length) out.broadcast(PoseMessage.CROWD, encodeCrowd(summary));
    }
    return writes;
  }

  /** Where a participant's head is now: kept here in a crowded world, else in the state (undefined: not in the world). */
  headOf(id: string, state: WorldState): Pose | undefined {
    const l = this.latest.get(id);
    if (l) return l.head;
    const h = state.participants.get(id)?.head;
    return h ? [h.px, h.py, h.pz, h.qx, h.qy, h.qz, h.qw] : undefined;
  }

  /**
   * Where the next share of the participants stands: the summary takes turns through everyone,
   * so each one costs the same however large the crowd.
   */
  private nextSummary(state: WorldState): CrowdRecord[] {
    const out: CrowdRecord[] = [];
    const size = state.participants.size;
    if (this.summaryFrom >= size) this.summaryFrom = 0;
    const from = this.summaryFrom;
    const take = Math.min(size, this.perSummary);
    let i = 0;
    state.participants.forEach((p, id) => {
      // the share from `from` on, wrapping round to the start
      const k = (i++ - from + size) % size;
      if (k >= take || !p.connected) return;
      const head = this.headOf(id, state);
      if (head) out.push({ n: this.numberFor(id), x: head[0], y: head[1], z: head[2], yaw: yawOf(head) });
    });
    this.summaryFrom = (from + take) % Math.max(1, size);
    return out;
  }

  /** Each client's nearest K within the radius, looking only at the grid cells the radius reaches. */
  private recomputeNear(state: WorldState): void {
    const r = this.opts.radius;
    const cell = (v: number) => Math.floor(v / r);
    const grid = new Map<string, Array<{ id: string; x: number; z: number }>>();
    const where = new Map<string, { x: number; z: number }>();
    state.participants.forEach((_p, id) => {
      const head = this.headOf(id, state);
      if (!head) return;
      const at = { id, x: head[0], z: head[2] };
      where.set(id, at);
      const key = `${cell(at.x)},${cell(at.z)}`;
      const list = grid.get(key);
      if (list) list.push(at);
      else grid.set(key, [at]);
    });
    const k = this.opts.nearest;
    for (const [id, me] of where) {
      const cx = cell(me.x), cz = cell(me.z);
      const found: Array<{ id: string; d: number }> = [];
      for (let dx = -1; dx <= 1; dx++) {
        for (let dz = -1; dz <= 1; dz++) {
          for (const o of grid.get(`${cx + dx},${cz + dz}`) ?? []) {
            if (o.id === id) continue;
            const d = (o.x - me.x) ** 2 + (o.z - me.z) ** 2;
            if (d <= r * r) found.push({ id: o.id, d });
          }
        }
      }
      found.sort((a, b) => a.d - b.d);
      const ids = found.slice(0, k).map((f) => f.id);
      this.near.set(id, ids);
      // forget what was sent about people no longer near, so this stays K entries per client and
      // someone who comes near again is sent in full
      const sent = this.sent.get(id);
      if (sent) for (const other of sent.keys()) if (!ids.includes(other)) sent.delete(other);
    }
  }

  /** The latest poses kept here, for the state to carry again; forgets them and who was sent what. */
  private handBack(state: WorldState): PoseWrite[] {
    const writes: PoseWrite[] = [];
    for (const [id, l] of this.latest) {
      if (state.participants.has(id)) writes.push({ participantId: id, head: l.head, left: l.left, right: l.right });
    }
    this.latest.clear();
    this.near.clear();
    this.sent.clear();
    return writes;
  }
}
