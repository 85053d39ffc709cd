import { describe, expect, it } from 'vitest';
import { ErrorCode, Intent, type Intent as IntentT } from '../protocol';
import { chooseVoicePeers, VOICE_KEEP_FACTOR, VOICE_MAX_LISTENERS, VOICE_MAX_LOUD, VOICE_MAX_PEERS, VOICE_RADIUS_M, withinEarshot } from './voice';
import { onStage, stageOf } from './worlds';
import { decide, type WorldView } from './world';

const at = (x: number, z = 0) => [x, 1.6, z] as const;

describe('who talks to whom: the proximity mesh', () => {
  it('connects to the people within earshot, nearest first', () => {
    const others = [
      { id: 'far', position: at(VOICE_RADIUS_M + 1) },
      { id: 'mid', position: at(4) },
      { id: 'near', position: at(0, 1) },
    ];
    expect(chooseVoicePeers(at(0), others, new Set())).toEqual(['near', 'mid']);
  });

  it('keeps at most the cap, dropping the furthest, however crowded', () => {
    const crowd = Array.from({ length: 200 }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, position: at((i % 20) * 0.4, Math.floor(i / 20) * 0.4) }));
    const chosen = chooseVoicePeers(at(0), crowd, new Set());
    expect(chosen).toHaveLength(VOICE_MAX_PEERS);
    const d = (id: string) => Math.hypot(...crowd.find((c) => c.id === id)!.position.map((v, i) => v - at(0)[i]!));
    const furthestChosen = Math.max(...chosen.map(d));
    const nearestLeftOut = Math.min(...crowd.filter((c) => !chosen.includes(c.id)).map((c) => d(c.id)));
    expect(furthestChosen).toBeLessThanOrEqual(nearestLeftOut);
  });

  it('keeps a call a little past the radius, so someone at the edge does not connect and hang up over and over', () => {
    const edge = [{ id: 'bob', position: at(VOICE_RADIUS_M * 1.1) }];
    expect(chooseVoicePeers(at(0), edge, new Set())).toEqual([]);
    expect(chooseVoicePeers(at(0), edge, new Set(['bob']))).toEqual(['bob']);
    expect(chooseVoicePeers(at(0), [{ id: 'bob', position: at(VOICE_RADIUS_M * VOICE_KEEP_FACTOR + 0.1) }], new Set(['bob']))).toEqual([]);
  });

  it('gives up a kept call for a nearer person when the places are full', () => {
    const near = Array.from({ length: VOICE_MAX_PEERS }, (_, i) => ({ id: `n${i}`, position: at(1 + i * 0.1) }));
    const kept = { id: 'kept', position: at(VOICE_RADIUS_M * 1.1) };
    expect(chooseVoicePeers(at(0), [kept, ...near], new Set(['kept']))).not.toContain('kept');
    expect(chooseVoicePeers(at(0), [kept], new Set(['kept']), { max: 0 })).toEqual([]);
  });

  it('VOICE-3: hears a person with the megaphone or on the stage from anywhere, besides the near ones, a few at most', () => {
    const near = Array.from({ length: VOICE_MAX_PEERS + 2 }, (_, i) => ({ id: `n${i}`, position: at(1 + i * 0.1) }));
    const speakers = Array.from({ length: VOICE_MAX_LOUD + 1 }, (_, i) => ({ id: `s${i}`, position: at(100 + i), everywhere: true }));
    const chosen = chooseVoicePeers(at(0), [...near, ...speakers], new Set());
    expect(chosen.filter((id) => id.startsWith('s'))).toEqual(speakers.slice(0, VOICE_MAX_LOUD).map((s) => s.id));
    expect(chosen.filter((id) => id.startsWith('n'))).toHaveLength(VOICE_MAX_PEERS);
  });

  it('VOICE-3: a person heard everywhere reaches the nearest listeners up to the mesh\'s limit, however far', () => {
    const crowd = Array.from({ length: VOICE_MAX_LISTENERS + 20 }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, position: at(5 + i * 3) }));
    const chosen = chooseVoicePeers(at(0), crowd, new Set(), { loud: true });
    expect(chosen).toEqual(crowd.slice(0, VOICE_MAX_LISTENERS).map((c) => c.id));
  });

  it('VOICE-3: the stage of a template is a disc on the floor; height does not count', () => {
    const stage = stageOf('classroom')!;
    expect(stage).toBeDefined();
    expect(onStage(stage, [stage.x, 1.6, stage.z])).toBe(true);
    expect(onStage(stage, [stage.x + stage.radius * 0.9, 3, stage.z])).toBe(true);
    expect(onStage(stage, [stage.x + stage.radius * 1.1, 1.6, stage.z])).toBe(false);
    expect(onStage(stageOf('office'), [0, 1.6, 0])).toBe(false);
    expect(stageOf('no such template')).toBeUndefined();
  });

  it('keeps a call in a full mesh unless a newcomer is clearly nearer, so a crowd on the move does not hang up and call over and over', () => {
    const full = Array.from({ length: VOICE_MAX_PEERS }, (_, i) => ({ id: `n${i}`, position: at(2 + i * 0.1) }));
    const connected = new Set(full.map((p) => p.id));
    // a newcomer a little nearer than the furthest kept: no swap
    const slightly = { id: 'new', position: at(2 + (VOICE_MAX_PEERS - 1) * 0.1 - 0.2) };
    expect(chooseVoicePeers(at(0), [...full, slightly], connected)).not.toContain('new');
    // clearly nearer: it takes the furthest one's place
    const clearly = { id: 'new', position: at(0.5) };
    const chosen = chooseVoicePeers(at(0), [...full, clearly], connected);
    expect(chosen).toContain('new');
    expect(chosen).toHaveLength(VOICE_MAX_PEERS);
  });

  it('ignores positions that are not numbers', () => {
    expect(chooseVoicePeers(at(0), [{ id: 'nan', position: [NaN, 0, 0] }], new Set())).toEqual([]);
    expect(withinEarshot([0, 0, 0], [NaN, 0, 0])).toBe(false);
  });
});

describe('the server\'s rules for voice signalling', () => {
  const heads: Record<string, readonly number[]> = { ann: at(0), bob: at(3), zoe: at(40) };
  const offers = new Set<string>();
  const loud = new Set<string>();
  const world = (calls = 0): WorldView => ({
    document: () => undefined,
    note: () => undefined,
    workflow: () => undefined,
    run: () => undefined,
    prop: () => undefined,
    propKind: () => false,
    propCount: () => 0,
    lastChange: () => undefined,
    headOf: (id) => heads[id],
    voiceOffered: (from, to) => offers.has(`${from}>${to}`),
    voiceCalls: () => calls,
    heardEverywhere: (id) => loud.has(id),
  });
  const ask = (who: string, intent: Omit<Extract<IntentT, { type: 'voiceSignal' }>, 'type'>, calls = 0) =>
    decide(world(calls), { id: who, name: who, colour: '#123456', newId: () => 'x' }, { type: 'voiceSignal', ...intent });
  const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n';

  it('relays an offer to someone in earshot, marked as from the sender', () => {
    expect(ask('ann', { to: 'bob', kind: 'offer', sdp: SDP })).toEqual({ ok: true, effects: [{ op: 'voiceSignal', to: 'bob', signal: { kind: 'offer', sdp: SDP, from: 'ann' } }] });
  });

  it('refuses a call to someone not in the world, to oneself, or out of earshot', () => {
    expect(ask('ann', { to: 'nobody', kind: 'offer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_PEER_UNKNOWN });
    expect(ask('ann', { to: 'ann', kind: 'offer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_PEER_UNKNOWN });
    expect(ask('ann', { to: 'zoe', kind: 'offer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED, message: expect.stringContaining('earshot') });
  });

  it('refuses more calls than the mesh needs, and answers and candidates outside a call', () => {
    expect(ask('ann', { to: 'bob', kind: 'offer', sdp: SDP }, 2 * VOICE_MAX_PEERS)).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
    expect(ask('bob', { to: 'ann', kind: 'answer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
    expect(ask('bob', { to: 'ann', kind: 'candidate', candidate: { candidate: 'candidate:1' } })).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
    // a hang-up with no call is let through, and relays nothing
    expect(ask('bob', { to: 'ann', kind: 'bye' })).toEqual({ ok: true, effects: [] });
  });

  it('within a call, relays the answer to whoever offered and candidates either way', () => {
    offers.add('ann>bob');
    expect(ask('bob', { to: 'ann', kind: 'answer', sdp: SDP })).toMatchObject({ ok: true, effects: [{ op: 'voiceSignal', to: 'ann' }] });
    // the offerer cannot answer their own offer
    expect(ask('ann', { to: 'bob', kind: 'answer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
    for (const [from, to] of [['ann', 'bob'], ['bob', 'ann']] as const) expect(ask(from, { to, kind: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0' } })).toMatchObject({ ok: true });
    expect(ask('bob', { to: 'ann', kind: 'bye' })).toMatchObject({ ok: true, effects: [{ op: 'voiceSignal', to: 'ann', signal: { kind: 'bye', from: 'bob' } }] });
    offers.clear();
  });

  it('VOICE-3: lets a call be offered across the world to or from a person heard everywhere, with a larger cap for them', () => {
    loud.add('zoe');
    expect(ask('ann', { to: 'zoe', kind: 'offer', sdp: SDP })).toMatchObject({ ok: true });
    expect(ask('zoe', { to: 'ann', kind: 'offer', sdp: SDP }, 2 * VOICE_MAX_PEERS)).toMatchObject({ ok: true });
    expect(ask('zoe', { to: 'ann', kind: 'offer', sdp: SDP }, VOICE_MAX_LISTENERS)).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
    loud.clear();
    expect(ask('ann', { to: 'zoe', kind: 'offer', sdp: SDP })).toMatchObject({ ok: false, code: ErrorCode.VOICE_NOT_LINKED });
  });

  it('refuses malformed signalling at the boundary', () => {
    const bad = [
      { type: 'voiceSignal', to: 'bob', kind: 'offer' },
      { type: 'voiceSignal', to: 'bob', kind: 'offer', sdp: 'x'.repeat(20_000) },
      { type: 'voiceSignal', to: 'bob', kind: 'candidate' },
      { type: 'voiceSignal', to: 'bob', kind: 'bye', sdp: SDP },
      { type: 'voiceSignal', to: 'bob', kind: 'answer', sdp: SDP, candidate: { candidate: 'c' } },
      { type: 'voiceSignal', to: '../bob', kind: 'bye' },
      { type: 'voiceSignal', to: 'bob', kind: 'ring' },
      { type: 'voiceSignal', to: 'bob', kind: 'bye', extra: 1 },
    ];
    for (const b of bad) expect(Intent.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
    expect(Intent.safeParse({ type: 'voiceSignal', to: 'bob', kind: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: null, sdpMLineIndex: 0 } }).success).toBe(true);
  });
});
