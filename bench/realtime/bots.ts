/**
 * One worker thread of the load generator: a share of the bots. Each bot joins through the client
 * the target is meant for (our server and the stock room: the real @colyseus/sdk), then sends head
 * and both hands at 30 Hz from {@link walker}. Most bots only count bytes; "decoders" keep full
 * state (or parse every relayed message), time each pose they see against the ledger, and check
 * that what they decoded is sound.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Client, type Room } from '@colyseus/sdk';
import { WebSocket } from 'ws';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, WORLD_ROOM } from '../../shared/protocol';
import { Ledger, now, type LedgerBuffers } from './ledger';
import { walker, type PoseArray } from './motion';
import { encodePose, readBatch } from './servers/wire';
import { PoseMessage, decodeNear, encodePoseUplink } from '../../shared/protocol/poseWire';

export type TargetKind = 'ours' | 'colyseus' | 'ws' | 'socketio';

export interface BotSpec {
  slot: number;
  decoder: boolean;
  /** Starts joining this many ms after the worker is told to join (spreads a crowd's arrival). */
  joinDelayMs: number;
  /** Drags this document at `dragHz` while walking. */
  dragDoc?: { id: string; ledgerSlot: number };
  /** Starts a run of this workflow every `everyMs`. */
  runs?: { workflowId: string; everyMs: number };
  /** Floods: FLOOD_PER_TICK poses every tick (about 10,000 a second), none of them timed. */
  flood?: boolean;
}

const FLOOD_PER_TICK = 20;

export interface WorkerInput {
  target: TargetKind;
  url: string;
  worldId?: string;
  bots: BotSpec[];
  ledger: LedgerBuffers;
  sendHz: number;
  dragHz: number;
  /** Half the side of the square bots wander in, metres. */
  areaHalf: number;
  /** Document ids by ledger slot, so decoders can time document moves. */
  docSlots: Record<string, number>;
  /** Bots expected in the world, for the decoders' completeness check. */
  expectedBots: number;
}

export interface BotResult {
  slot: number;
  decoder: boolean;
  joinMs: number;
  joinError?: string;
  bytesDown: number;
  bytesUp: number;
  framesDown: number;
  /** Decoders only. */
  latencies?: number[];
  docLatencies?: number[];
  /** Poses of others this decoder saw in the window. */
  seen?: number;
  /** The bots whose poses it saw at full rate (in a crowded world, those near it). */
  seenSlots?: number[];
  /**
   * Millimetres between where an observer would draw a near person, interpolating between the poses
   * it received, and where that person really was at each pose it never received (coalesced into a
   * patch, or left to the next for the further of the near): what the levels of detail and the
   * quantisation cost in smoothness.
   */
  interpolationErrorsMm?: number[];
  /** Milliseconds between two near poses of the same person while they stayed near (a gap past RUN_GAP_MS ends their stay). */
  nearGaps?: number[];
  /** Decoded changes no sent pose matched (should be 0). */
  unmatched?: number;
  /** Failed soundness checks of decoded state. */
  stateErrors?: string[];
  /** Participants this decoder saw at the end. */
  peersSeen?: number;
  /** The server closed this bot's connection before the run ended (a flooder is meant to be). */
  cutOff?: boolean;
}

interface Bot {
  spec: BotSpec;
  result: BotResult;
  seq: number;
  dragSeq: number;
  nextPoseAt: number;
  nextDragAt: number;
  nextRunAt: number;
  walk: ReturnType<typeof walker>;
  send(kind: 'pose' | 'move' | 'grab' | 'runStart', payload: unknown): void;
  close(): Promise<void>;
}

const input = workerData as WorkerInput;
const ledger = new Ledger(input.ledger);
let measuring = false;
const bots: Bot[] = [];

const slotOfName = (name: string) => (name.startsWith('bot-') ? Number(name.slice(4)) : -1);

/** Past this, a near person's next pose starts a new stay near the observer rather than counting as late. */
export const RUN_GAP_MS = 400;

/** What a decoder does with every pose it sees: time it and count it. */
class Observer {
  private readonly lastSeq = new Map<number, number>();
  private readonly lastKey = new Map<string, number | string>();
  /** Bots whose poses arrive in near-pose messages. */
  readonly fromMessages = new Set<number>();
  private readonly seenSlots = new Set<number>();
  /** When each person's last near pose arrived. */
  private readonly nearLast = new Map<number, number>();
  /** The sequence and position of each person's last near pose. */
  private readonly nearPrev = new Map<number, { seq: number; x: number; z: number }>();
  constructor(private readonly self: number, private readonly r: BotResult) {
    r.seenSlots = [];
    r.nearGaps = [];
    r.interpolationErrorsMm = [];
    r.latencies = [];
    r.docLatencies = [];
    r.seen = 0;
    r.unmatched = 0;
    r.stateErrors = [];
  }

  /** A pose whose sender and sequence travelled with it. */
  direct(slot: number, seq: number, at: number): void {
    if (slot === this.self || !measuring) return;
    const sent = ledger.sendTime(slot, seq);
    if (Number.isNaN(sent)) return void this.r.unmatched!++;
    this.r.latencies!.push(at - sent);
    this.r.seen!++;
    this.seenSlots.add(slot);
  }

  /**
   * A near pose arrived: how long since the last of the same person's. Someone who walks out of the
   * near set and back in later is not a loss, so a gap past RUN_GAP_MS starts a new stay.
   */
  nearArrival(slot: number, at: number): void {
    if (!measuring) return;
    const last = this.nearLast.get(slot);
    this.nearLast.set(slot, at);
    if (last !== undefined && at - last <= RUN_GAP_MS) this.r.nearGaps!.push(at - last);
  }

  /**
   * Between this near pose of `slot` and its previous one, the poses it sent that never came: how far
   * the straight line between the two received ones (what a viewer draws) is from each.
   */
  private interpolate(slot: number, seq: number, x: number, z: number): void {
    const prev = this.nearPrev.get(slot);
    this.nearPrev.set(slot, { seq, x, z });
    // a person who has just come near again starts a new line; so does a long gap
    if (!measuring || !prev || seq - prev.seq > 12) return;
    const t0 = ledger.sendTime(slot, prev.seq);
    const t1 = ledger.sendTime(slot, seq);
    if (!(t1 > t0)) return;
    for (let k = prev.seq + 1; k < seq; k++) {
      const truth = ledger.positionOf(slot, k);
      const tk = ledger.sendTime(slot, k);
      if (!truth || Number.isNaN(tk)) continue;
      const a = (tk - t0) / (t1 - t0);
      const drawnX = prev.x + (x - prev.x) * a;
      const drawnZ = prev.z + (z - prev.z) * a;
      this.r.interpolationErrorsMm!.push(Math.hypot(drawnX - truth[0], drawnZ - truth[1]) * 1000);
    }
  }

  finish(): void {
    this.r.seenSlots = [...this.seenSlots];
  }

  /** A position decoded from state: find which sent pose it is. */
  position(slot: number, x: number, z: number, at: number, doc = false, source = 'state'): void {
    if (slot === this.self) return;
    // the state and the near-pose messages are separate sources: a crowded world's state keeps an
    // older pose while the messages bring new ones, and neither is a change of the other
    const key = `${x},${z}`;
    const lastKeyOf = `${source}:${slot}`;
    if (this.lastKey.get(lastKeyOf) === key) return;
    this.lastKey.set(lastKeyOf, key);
    // an unchanged state pose behind newer messages matches nothing newer, and is no error
    if (source === 'state' && this.fromMessages.has(slot)) return;
    const seq = ledger.match(slot, this.lastSeq.get(slot) ?? -1, x, z);
    if (seq < 0) {
      // the spawn position, before the bot's first pose, matches nothing by design
      if (measuring && ledger.sentBy(slot) > 0) this.r.unmatched!++;
      return;
    }
    this.lastSeq.set(slot, seq);
    if (source === 'near') this.interpolate(slot, seq, x, z);
    if (!measuring) return;
    const latency = at - ledger.sendTime(slot, seq);
    if (doc) this.r.docLatencies!.push(latency);
    else {
      this.r.latencies!.push(latency);
      this.r.seen!++;
      this.seenSlots.add(slot);
    }
  }

  check(ok: boolean, what: string): void {
    if (!ok && this.r.stateErrors!.length < 20) this.r.stateErrors!.push(what);
  }
}

type Pose = { px: number; py: number; pz: number; qx: number; qy: number; qz: number; qw: number; tracked?: boolean };

function checkPose(o: Observer, who: string, p: Pose, trackedField: boolean): void {
  const n = Math.hypot(p.qx, p.qy, p.qz, p.qw);
  o.check(Math.abs(n - 1) < 1e-3, `${who}: rotation is not a unit quaternion (${n})`);
  o.check([p.px, p.py, p.pz].every((v) => Number.isFinite(v) && Math.abs(v) <= 500), `${who}: position out of the world`);
  if (trackedField) o.check(p.tracked === true, `${who}: a sent pose is not marked tracked`);
}

/** Joins a Colyseus room (ours or the stock one) through the SDK and wires counting or decoding. */
async function joinColyseus(spec: BotSpec, r: BotResult): Promise<Pick<Bot, 'send' | 'close'>> {
  const ours = input.target === 'ours';
  const client = new Client(input.url);
  const options = ours
    ? { protocol: PROTOCOL_VERSION, worldId: input.worldId, name: `bot-${spec.slot}`, device: 'vr' }
    : { name: `bot-${spec.slot}` };
  const t0 = now();
  const room: Room = await client.joinOrCreate(ours ? WORLD_ROOM : 'crowd', options);
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
  r.joinMs = now() - t0;
  const conn = room.connection as unknown as { events: { onmessage: (ev: { data: ArrayBuffer }) => void }; send(d: Uint8Array): void };
  const decode = conn.events.onmessage;
  if (!spec.decoder) {
    // counting only: the bytes arrive and are dropped undecoded, as a real client's network would see them
    conn.events.onmessage = (ev) => {
      if (!measuring) return;
      r.bytesDown += ev.data.byteLength;
      r.framesDown++;
    };
  } else {
    const o = new Observer(spec.slot, r);
    let at = 0;
    // in a crowded world our server sends the near poses as binary messages, named by number
    const slotOfNumber = new Map<number, number>();
    if (ours) {
      room.onMessage(PoseMessage.NEAR, (bytes: Uint8Array) => {
        for (const rec of decodeNear(bytes)) {
          if (!slotOfNumber.has(rec.n)) {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (room.state as any).participants.forEach((p: { n: number; name: string }) => slotOfNumber.set(p.n, slotOfName(p.name)));
          }
          const slot = slotOfNumber.get(rec.n);
          if (slot === undefined || slot < 0) continue;
          o.fromMessages.add(slot);
          o.nearArrival(slot, at);
          o.position(slot, rec.head[0], rec.head[2], at, false, 'near');
        }
      });
      room.onMessage(PoseMessage.CROWD, () => undefined);
    }
    conn.events.onmessage = (ev) => {
      at = now();
      if (measuring) {
        r.bytesDown += ev.data.byteLength;
        r.framesDown++;
      }
      decode(ev);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const state = room.state as any;
      const people = ours ? state.participants : state.players;
      people?.forEach((p: { name: string; head: Pose; left: Pose; right: Pose }) => {
        const slot = slotOfName(p.name);
        if (slot < 0) return;
        o.position(slot, p.head.px, p.head.pz, at);
      });
      if (ours && input.docSlots) {
        state.documents?.forEach((d: { id: string; x: number; z: number }, id: string) => {
          const slot = input.docSlots[id];
          if (slot !== undefined) o.position(slot, d.x, d.z, at, true);
        });
      }
    };
    room.onLeave(() => undefined);
    // the soundness check runs once at the end, on the state as decoded
    (r as BotResult & { finalCheck?: () => void }).finalCheck = () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const state = room.state as any;
      const people = ours ? state.participants : state.players;
      let peers = 0;
      people?.forEach((p: { name: string; head: Pose; left: Pose; right: Pose }) => {
        if (slotOfName(p.name) < 0) return;
        peers++;
        if (ledger.sentBy(slotOfName(p.name)) === 0) return;
        // a crowded world keeps hands out of the state (they travel in the near-pose messages)
        for (const part of ['head', 'left', 'right'] as const) {
          if (part === 'head' || !ours || p[part].tracked) checkPose(o, `${p.name}.${part}`, p[part], ours && part === 'head');
        }
      });
      r.peersSeen = peers;
      o.finish();
      o.check(peers === input.expectedBots, `saw ${peers} bots in the state, expected ${input.expectedBots}`);
    };
  }
  const rawSend = conn.send.bind(conn);
  conn.send = (d: Uint8Array) => {
    if (measuring) r.bytesUp += d.byteLength;
    rawSend(d);
  };
  room.onLeave(() => {
    r.cutOff = true;
  });
  return {
    send(kind, payload) {
      // a pose goes as the client sends it: bytes
      if (payload instanceof Uint8Array) room.sendBytes(kind, payload);
      else room.send(kind, payload);
    },
    async close() {
      await room.leave(true).catch(() => undefined);
    },
  };
}

async function joinWs(spec: BotSpec, r: BotResult): Promise<Pick<Bot, 'send' | 'close'>> {
  const t0 = now();
  const ws = new WebSocket(input.url.replace(/^http/, 'ws'), { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  r.joinMs = now() - t0;
  const o = spec.decoder ? new Observer(spec.slot, r) : undefined;
  if (o) (r as BotResult & { finalCheck?: () => void }).finalCheck = () => o.finish();
  ws.on('message', (data: Buffer) => {
    const at = now();
    if (!measuring) return;
    r.bytesDown += data.byteLength;
    r.framesDown++;
    if (o) readBatch(data, (slot, seq) => o.direct(slot, seq, at));
  });
  return {
    send(kind, payload) {
      if (kind !== 'pose') return;
      const { seq, flat } = payload as { seq: number; flat: number[] };
      const b = encodePose(spec.slot, seq, flat);
      if (measuring) r.bytesUp += b.byteLength;
      ws.send(b);
    },
    async close() {
      ws.close();
    },
  };
}

async function joinSocketIo(spec: BotSpec, r: BotResult): Promise<Pick<Bot, 'send' | 'close'>> {
  const t0 = now();
  const socket: Socket = io(input.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  r.joinMs = now() - t0;
  socket.io.engine.on('data', (d: string | ArrayBuffer) => {
    if (measuring) {
      r.bytesDown += typeof d === 'string' ? Buffer.byteLength(d) + 1 : d.byteLength;
      r.framesDown++;
    }
  });
  if (spec.decoder) {
    const o = new Observer(spec.slot, r);
    socket.on('pose', (m: { i: number; s: number }) => o.direct(m.i, m.s, now()));
    (r as BotResult & { finalCheck?: () => void }).finalCheck = () => o.finish();
  }
  return {
    send(kind, payload) {
      if (kind !== 'pose') return;
      const { seq, poses } = payload as { seq: number; poses: { head: PoseArray; left: PoseArray; right: PoseArray } };
      const message = { i: spec.slot, s: seq, ...poses };
      // "42" + the event array is what travels in the WebSocket frame
      if (measuring) r.bytesUp += Buffer.byteLength(JSON.stringify(['pose', message])) + 2;
      socket.emit('pose', message);
    },
    async close() {
      socket.close();
    },
  };
}

async function join(spec: BotSpec): Promise<void> {
  const result: BotResult = { slot: spec.slot, decoder: spec.decoder, joinMs: NaN, bytesDown: 0, bytesUp: 0, framesDown: 0 };
  await new Promise((r) => setTimeout(r, spec.joinDelayMs));
  try {
    const wire =
      input.target === 'ws' ? await joinWs(spec, result) : input.target === 'socketio' ? await joinSocketIo(spec, result) : await joinColyseus(spec, result);
    const t = now();
    bots.push({
      spec,
      result,
      seq: 0,
      dragSeq: 0,
      // spread sends over the frame, as independent headsets would
      nextPoseAt: t + Math.random() * (1000 / input.sendHz),
      nextDragAt: t + Math.random() * (1000 / input.dragHz),
      nextRunAt: t + (spec.runs ? Math.random() * spec.runs.everyMs : Infinity),
      walk: walker(spec.slot + 1, input.areaHalf),
      ...wire,
    });
  } catch (err) {
    result.joinError = String((err as Error)?.message ?? err).slice(0, 200);
    bots.push({ spec, result, seq: 0, dragSeq: 0, nextPoseAt: Infinity, nextDragAt: Infinity, nextRunAt: Infinity, walk: walker(1, 1), send() {}, async close() {} });
  }
}

function tick(): void {
  const t = now();
  const seconds = t / 1000;
  for (const b of bots) {
    if (b.spec.flood) {
      const poses = b.walk.poses(seconds);
      // once the server has cut it off, sending fails; that is the point
      try {
        const bytes = input.target === 'ours' ? encodePoseUplink(poses) : { type: 'pose', ...poses };
        for (let i = 0; i < FLOOD_PER_TICK; i++) b.send('pose', bytes);
      } catch {
        b.spec.flood = false;
        b.nextPoseAt = Infinity;
      }
      continue;
    }
    if (t >= b.nextPoseAt) {
      b.nextPoseAt += 1000 / input.sendHz;
      if (b.nextPoseAt < t) b.nextPoseAt = t + 1000 / input.sendHz;
      const poses = b.walk.poses(seconds);
      const seq = b.seq++;
      ledger.record(b.spec.slot, seq, poses.head[0], poses.head[2], now());
      if (input.target === 'ours') b.send('pose', encodePoseUplink(poses));
      else if (input.target === 'colyseus') b.send('pose', [...poses.head, ...poses.left, ...poses.right]);
      else if (input.target === 'ws') b.send('pose', { seq, flat: [...poses.head, ...poses.left, ...poses.right] });
      else b.send('pose', { seq, poses });
    }
    if (b.spec.dragDoc && t >= b.nextDragAt) {
      b.nextDragAt += 1000 / input.dragHz;
      if (b.nextDragAt < t) b.nextDragAt = t + 1000 / input.dragHz;
      const head = b.walk.poses(seconds).head;
      // the document rides half a metre in front of its holder, wobbling like a hand-held thing
      const x = Math.round((head[0] + 0.5 * Math.sin(seconds * 3 + b.spec.slot)) * 1000) / 1000;
      const z = Math.round((head[2] + 0.5 * Math.cos(seconds * 3 + b.spec.slot)) * 1000) / 1000;
      ledger.record(b.spec.dragDoc.ledgerSlot, b.dragSeq++, x, z, now());
      b.send('move', { type: 'move', docId: b.spec.dragDoc.id, position: [x, 1.3, z] });
    }
    if (b.spec.runs && t >= b.nextRunAt) {
      b.nextRunAt = t + b.spec.runs.everyMs;
      b.send('runStart', { type: 'runStart', workflowId: b.spec.runs.workflowId });
    }
  }
}

let timer: NodeJS.Timeout | undefined;

async function onCommand(m: { type: string }): Promise<void> {
  switch (m.type) {
    case 'join': {
      await Promise.all(input.bots.map((spec) => join(spec)));
      // a dragger takes hold of its document before the crowd starts moving
      for (const b of bots) if (b.spec.dragDoc) b.send('grab', { type: 'grab', docId: b.spec.dragDoc.id });
      parentPort!.postMessage({ type: 'joined', failed: bots.filter((b) => b.result.joinError).length });
      return;
    }
    case 'go':
      timer = setInterval(tick, 2);
      return;
    case 'measure':
      measuring = true;
      return;
    case 'stop': {
      measuring = false;
      clearInterval(timer);
      for (const b of bots) (b.result as BotResult & { finalCheck?: () => void }).finalCheck?.();
      const results = bots.map((b) => {
        const { finalCheck: _f, ...rest } = b.result as BotResult & { finalCheck?: () => void };
        return rest;
      });
      parentPort!.postMessage({ type: 'results', results });
      return;
    }
    // leaving only once every worker has checked its state, so no decoder sees others leave
    case 'close':
      await Promise.all(bots.map((b) => b.close()));
      parentPort!.postMessage({ type: 'closed' });
      return;
  }
}

// a failed command is thrown outside the promise, so the worker fails with it and the parent hears why
parentPort!.on('message', (m: { type: string }) => {
  onCommand(m).catch((err: unknown) =>
    setImmediate(() => {
      throw err;
    }),
  );
});
