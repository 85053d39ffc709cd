/**
 * Voice signalling through the real room: an offer, its answer and candidates reach only the one
 * person they are for, marked with who sent them; nobody can signal into another world, call
 * someone out of earshot, or slip an answer or candidate outside a call; a hang-up or leaving ends
 * the call. What the relay carries is WebRTC's own; the media never passes through the server.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, ServerEvent, type VoiceSignal } from '../../shared/protocol';
import { VOICE_RADIUS_M } from '../../shared/model/voice';
import { createWorld, joinWorld, settle, until, type TestParticipant } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer();
const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const CANDIDATE = { candidate: 'candidate:842163049 1 udp 1677729535 192.168.1.20 54400 typ srflx raddr 0.0.0.0 rport 0', sdpMid: '0', sdpMLineIndex: 0 };

/** Joins and collects the voice signals this person receives. */
async function join(worldId: string, name: string): Promise<TestParticipant & { heard: VoiceSignal[] }> {
  const p = await joinWorld(server().url, worldId, name);
  const heard: VoiceSignal[] = [];
  p.room.onMessage(ServerEvent.VOICE_SIGNAL, (s: VoiceSignal) => heard.push(s));
  return Object.assign(p, { heard });
}

const standAt = (p: TestParticipant, x: number, z: number) => p.sendRaw('pose', { type: 'pose', head: [x, 1.6, z, 0, 0, 0, 1], left: null, right: null });
const headX = (seer: TestParticipant, who: TestParticipant) => (seer.room.state as any).participants.get(who.room.sessionId)?.head.px as number | undefined;

describe('voice signalling', () => {
  it('VOICE-1: relays a call between two people in earshot, and only to the one it is for', { timeout: 30_000 }, async () => {
    const world = await createWorld(server().url);
    const ann = await join(world.id, 'Ann');
    const bob = await join(world.id, 'Bob');
    const cat = await join(world.id, 'Cat');
    standAt(ann, 0, 0);
    standAt(bob, 2, 0);
    await until('Bob standing near Ann', () => headX(ann, bob) === 2);

    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'offer', sdp: SDP });
    await until('the offer at Bob', () => bob.heard.length === 1);
    expect(bob.heard[0]).toEqual({ kind: 'offer', sdp: SDP, from: ann.room.sessionId });
    bob.sendRaw('voiceSignal', { type: 'voiceSignal', to: ann.room.sessionId, kind: 'answer', sdp: SDP });
    bob.sendRaw('voiceSignal', { type: 'voiceSignal', to: ann.room.sessionId, kind: 'candidate', candidate: CANDIDATE });
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'candidate', candidate: CANDIDATE });
    await until('the answer and a candidate at Ann', () => ann.heard.length === 2);
    await until('a candidate at Bob', () => bob.heard.length === 2);
    expect(ann.heard.map((s) => [s.kind, s.from])).toEqual([
      ['answer', bob.room.sessionId],
      ['candidate', bob.room.sessionId],
    ]);
    expect(ann.heard[1]!.candidate).toEqual(CANDIDATE);
    // Cat, in the same world, heard none of it
    await settle();
    expect(cat.heard).toEqual([]);
    expect([...ann.errors, ...bob.errors, ...cat.errors]).toEqual([]);

    // a hang-up ends the call: a candidate after it is refused
    bob.sendRaw('voiceSignal', { type: 'voiceSignal', to: ann.room.sessionId, kind: 'bye' });
    await until('the hang-up at Ann', () => ann.heard.at(-1)?.kind === 'bye');
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'candidate', candidate: CANDIDATE });
    await until('the refusal', () => ann.errors.length === 1);
    expect(ann.errors[0]).toMatchObject({ code: ErrorCode.VOICE_NOT_LINKED, intent: 'voiceSignal' });
    expect(bob.heard).toHaveLength(2);
    for (const p of [ann, bob, cat]) await p.room.leave();
  });

  it('VOICE-2: nobody signals into another world, calls someone out of earshot, or answers a call never offered', { timeout: 30_000 }, async () => {
    const here = await createWorld(server().url);
    const there = await createWorld(server().url);
    const ann = await join(here.id, 'Ann');
    const bob = await join(here.id, 'Bob');
    const eve = await join(there.id, 'Eve');
    standAt(ann, 0, 0);
    standAt(bob, VOICE_RADIUS_M * 2, 0);
    await until('Bob far from Ann', () => headX(ann, bob) === VOICE_RADIUS_M * 2);

    // Eve knows Bob's session id, but he is not in her world
    eve.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'offer', sdp: SDP });
    await until("Eve's refusal", () => eve.errors.length === 1);
    expect(eve.errors[0]).toMatchObject({ code: ErrorCode.VOICE_PEER_UNKNOWN });

    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'offer', sdp: SDP });
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'answer', sdp: SDP });
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'candidate', candidate: CANDIDATE });
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'offer' });
    await until("Ann's refusals", () => ann.errors.length === 4);
    expect(ann.errors.map((e) => e.code)).toEqual([ErrorCode.VOICE_NOT_LINKED, ErrorCode.VOICE_NOT_LINKED, ErrorCode.VOICE_NOT_LINKED, ErrorCode.INVALID_INTENT]);
    expect(ann.errors[0]!.message).toMatch(/earshot/);

    // once Bob walks over, the same offer goes through; when Ann leaves, the call is gone
    standAt(bob, 1, 0);
    await until('Bob near Ann', () => headX(ann, bob) === 1);
    ann.sendRaw('voiceSignal', { type: 'voiceSignal', to: bob.room.sessionId, kind: 'offer', sdp: SDP });
    await until('the offer at Bob', () => bob.heard.length === 1);
    const annId = ann.room.sessionId;
    await ann.room.leave();
    bob.sendRaw('voiceSignal', { type: 'voiceSignal', to: annId, kind: 'answer', sdp: SDP });
    await until("Bob's refusal", () => bob.errors.length === 1);
    expect(bob.errors[0]).toMatchObject({ code: ErrorCode.VOICE_PEER_UNKNOWN });
    expect(eve.heard).toEqual([]);
    for (const p of [bob, eve]) await p.room.leave();
  });
});
