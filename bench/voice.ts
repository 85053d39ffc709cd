/**
 * `npm run bench -- voice`: what voice costs each person in a crowded world. 50, then 200 people
 * (protocol clients, the real SDK against the real server) walk about one plaza; each keeps its
 * voice calls by the same rule the browser uses (chooseVoicePeers, every half second: the lower
 * session id calls, the other answers or hangs up, two ICE candidates each way) and the server
 * relays and checks every message. WebRTC itself is not run: what is measured is the mesh — how
 * many calls each client holds (against the cap) and how many signalling messages it sends and gets
 * a second while people move. Beside it, a full mesh (everyone connected to everyone, as a
 * proximity-less call would be) as the baseline, computed from the same crowd, with the ratio.
 *
 * Flags: --crowd=50,200 (crowd sizes), --measure-ms=20000, --warmup-ms=5000.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { PROTOCOL_VERSION, ServerEvent, WORLD_ROOM, type IntentError, type VoiceSignal } from '../shared/protocol';
import { chooseVoicePeers, VOICE_MAX_LOUD, VOICE_MAX_PEERS, withinEarshot } from '../shared/model/voice';
import { ROOM_HALF_SIZE } from '../shared/model/worlds';
import { PoseMessage } from '../shared/protocol/poseWire';
import { bootServer } from '../server/testing/bootServer';
import { percentile } from './lib/percentile';

type Vec3 = [number, number, number];

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CROWDS = arg('crowd', '50,200').split(',').map(Number).filter((n) => n > 1);
const MEASURE_MS = Number(arg('measure-ms', '20000'));
const WARMUP_MS = Number(arg('warmup-ms', '5000'));
const PLAN_MS = 500;
const POSE_MS = 200;
const WALK_M_PER_S = 1.2;
/** An audio-only offer or answer is a couple of kilobytes of SDP. */
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n${'a=x-filler:'.padEnd(1800, 'x')}\r\n`;
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 };
/** Calls a client takes at most: its own share, and a few more offered by others (as VoiceChat). */
const ROOM_FOR_CALLS = VOICE_MAX_PEERS + VOICE_MAX_LOUD;
const LIMIT = ROOM_HALF_SIZE - 0.5;

interface Bot {
  id: string;
  room: Room;
  pos: Vec3;
  heading: number;
  turnAt: number;
  calls: Set<string>;
  sent: number;
  received: number;
  maxCalls: number;
  callSamples: number[];
  refused: Map<string, number>;
  /** Who to be in a call with now, as VoiceChat's plan; and its timer. */
  plan: () => void;
  timer?: ReturnType<typeof setInterval>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function crowd(n: number): Promise<Record<string, number | string>> {
  const server = await bootServer({
    env: { LOG_LEVEL: 'warn', INTENT_RATE: '200', REST_RATE: '1000000', MAX_CONNECTIONS_PER_ADDRESS: '1000000' },
    timeoutMs: 90_000,
  });
  const random = rng(n);
  const bots: Bot[] = [];
  const byId = new Map<string, Bot>();
  let measuring = false;
  try {
    const res = await fetch(`${server.url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Voice crowd ${n}`, template: 'plaza', capacity: Math.max(n, 32) }) });
    const worldId = ((await res.json()) as { world: { id: string } }).world.id;
    for (let i = 0; i < n; i++) {
      const room = await new Client(server.url).joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION, worldId, name: `P${i}` });
      const bot: Bot = {
        id: room.sessionId,
        room,
        pos: [(random() * 2 - 1) * LIMIT, 1.6, (random() * 2 - 1) * LIMIT],
        heading: random() * Math.PI * 2,
        turnAt: 0,
        calls: new Set(),
        sent: 0,
        received: 0,
        maxCalls: 0,
        callSamples: [],
        refused: new Map(),
        plan: () => undefined,
      };
      bots.push(bot);
      byId.set(bot.id, bot);
      const send = (to: string, s: Omit<VoiceSignal, 'from'>) => {
        if (measuring) bot.sent++;
        room.send('voiceSignal', { type: 'voiceSignal', to, ...s });
      };
      room.onMessage(ServerEvent.VOICE_SIGNAL, (s: VoiceSignal) => {
        if (measuring) bot.received++;
        if (s.kind === 'offer') {
          const them = byId.get(s.from);
          if (!them || !withinEarshot(bot.pos, them.pos) || (bot.calls.size >= ROOM_FOR_CALLS && !bot.calls.has(s.from))) return send(s.from, { kind: 'bye' });
          bot.calls.add(s.from);
          send(s.from, { kind: 'answer', sdp: SDP });
          send(s.from, { kind: 'candidate', candidate: CANDIDATE });
          send(s.from, { kind: 'candidate', candidate: CANDIDATE });
        } else if (s.kind === 'answer') {
          send(s.from, { kind: 'candidate', candidate: CANDIDATE });
          send(s.from, { kind: 'candidate', candidate: CANDIDATE });
        } else if (s.kind === 'bye') bot.calls.delete(s.from);
      });
      room.onMessage(ServerEvent.ERROR, (e: IntentError) => {
        if (measuring) bot.refused.set(e.code, (bot.refused.get(e.code) ?? 0) + 1);
      });
      for (const type of [ServerEvent.CHAT_HISTORY, ServerEvent.VOICE_CONFIG, PoseMessage.NEAR, PoseMessage.CROWD]) room.onMessage(type, () => undefined);
      // the bot's plan, as VoiceChat's: who to be in a call with now; call the new ones that are ours to call
      bot.plan = () => {
        const others = bots.filter((b) => b !== bot).map((b) => ({ id: b.id, position: b.pos }));
        const wanted = new Set(chooseVoicePeers(bot.pos, others, bot.calls));
        for (const id of [...bot.calls]) {
          if (wanted.has(id)) continue;
          bot.calls.delete(id);
          send(id, { kind: 'bye' });
        }
        for (const id of wanted) {
          if (bot.calls.has(id) || bot.id > id) continue;
          bot.calls.add(id);
          send(id, { kind: 'offer', sdp: SDP });
        }
      };
    }

    let last = performance.now();
    const walk = setInterval(() => {
      const now = performance.now();
      const dt = (now - last) / 1000;
      last = now;
      for (const b of bots) {
        if (now > b.turnAt) {
          b.heading += (random() - 0.5) * 2;
          b.turnAt = now + 2000 + random() * 4000;
        }
        b.pos[0] += Math.sin(b.heading) * WALK_M_PER_S * dt;
        b.pos[2] += Math.cos(b.heading) * WALK_M_PER_S * dt;
        for (const k of [0, 2] as const) {
          if (Math.abs(b.pos[k]) > LIMIT) {
            b.pos[k] = Math.sign(b.pos[k]) * LIMIT;
            b.heading += Math.PI;
          }
        }
        b.room.send('pose', { type: 'pose', head: [b.pos[0], b.pos[1], b.pos[2], 0, 0, 0, 1], left: null, right: null });
      }
    }, POSE_MS);
    // each plans every half second, spread over the half second as browsers would be
    const planners = bots.map((b, i) =>
      setTimeout(() => {
        b.timer = setInterval(() => b.plan(), PLAN_MS);
      }, (i * PLAN_MS) / n),
    );
    const sampler = setInterval(() => {
      if (!measuring) return;
      for (const b of bots) {
        b.maxCalls = Math.max(b.maxCalls, b.calls.size);
        b.callSamples.push(b.calls.size);
      }
    }, 250);

    await new Promise((r) => setTimeout(r, WARMUP_MS));
    measuring = true;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    measuring = false;
    const seconds = (performance.now() - started) / 1000;
    clearInterval(walk);
    clearInterval(sampler);
    for (const t of planners) clearTimeout(t);
    for (const b of bots) clearInterval(b.timer);

    const sentPerS = bots.map((b) => b.sent / seconds);
    const receivedPerS = bots.map((b) => b.received / seconds);
    const calls = bots.flatMap((b) => b.callSamples);
    const refusals = new Map<string, number>();
    for (const b of bots) for (const [code, count] of b.refused) refusals.set(code, (refusals.get(code) ?? 0) + count);
    const meanCalls = calls.reduce((s, c) => s + c, 0) / Math.max(1, calls.length);
    return {
      people: n,
      'calls per client (mean)': round(meanCalls),
      'calls per client (max)': Math.max(...bots.map((b) => b.maxCalls)),
      cap: ROOM_FOR_CALLS,
      'full mesh calls per client': n - 1,
      'full mesh / ours (calls)': round((n - 1) / Math.max(meanCalls, 1e-9)),
      'signals sent /s per client (mean)': round(mean(sentPerS)),
      'signals sent /s per client (p95)': round(percentile(sentPerS, 95)),
      'signals sent /s per client (max)': round(Math.max(...sentPerS)),
      'signals received /s per client (p95)': round(percentile(receivedPerS, 95)),
      'signals /s through the server': round(sentPerS.reduce((s, x) => s + x, 0)),
      refused: [...refusals].map(([c, k]) => `${c} ${k}`).join(', ') || 'none',
    };
  } finally {
    await Promise.all(bots.map((b) => b.room.leave().catch(() => undefined)));
    await server.stop();
    server.cleanup();
  }
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const round = (x: number) => Math.round(x * 100) / 100;

export async function runVoiceBench(): Promise<void> {
  const rows: Array<Record<string, number | string>> = [];
  for (const n of CROWDS) {
    process.stdout.write(`voice mesh: ${n} people walking for ${MEASURE_MS / 1000} s…\n`);
    rows.push(await crowd(n));
  }
  const keys = Object.keys(rows[0] ?? {});
  const width = Math.max(...keys.map((k) => k.length));
  for (const k of keys) process.stdout.write(`${k.padEnd(width)}  ${rows.map((r) => String(r[k]).padStart(12)).join('  ')}\n`);
  const bad = rows.filter((r) => Number(r['calls per client (max)']) > ROOM_FOR_CALLS);
  if (bad.length) throw new Error(`a client held more calls than the cap (${ROOM_FOR_CALLS}) with ${bad.map((r) => r.people).join(', ')} people`);
  const out = path.resolve('bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'voice.json'), JSON.stringify({ measuredMs: MEASURE_MS, rows }, null, 2));
}
