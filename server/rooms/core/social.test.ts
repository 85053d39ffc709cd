import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_CHAT_CHARS, ServerEvent, type ChatHistory, type ChatMessage, type MutedEvent, type VoiceSignal } from '../../../shared/protocol';
import { stageOf } from '../../../shared/model/worlds';
import { fakeCore, type Sent } from '../../testing/worldCore';
import { CHAT_BURST, CHAT_HISTORY_LIMIT, MUTE_ALL_EVERY_MS, REACT_BURST } from './social';

const to = (sent: Sent[], who: string, type: string) => sent.filter((s) => s.to === who && s.type === type).map((s) => s.message);
const pose = (x: number, z = 0) => ({ type: 'pose', head: [x, 1.6, z, 0, 0, 0, 1], left: null, right: null });
/** Lets the chat store's writes settle. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('world core: chat', () => {
  it('CHAT-1: keeps a message and then sends it to everyone, as text, with who said it and when', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0);
    w.join('v', 'Vic', 0, { userId: 'u2', role: 'viewer' });
    const hostile = '<img src=x onerror=alert(1)>\u0000\u0007 hi\r\nthere  ';
    w.core.intent(ann, 'chat', { type: 'chat', text: hostile }, 1000);
    await settle();
    const [said] = to(w.sent, '*', ServerEvent.CHAT) as ChatMessage[];
    expect(said).toMatchObject({ from: 'a', name: 'Ann', colour: w.core.state.participants.get('a')!.colour, text: '<img src=x onerror=alert(1)> hi\nthere', at: 1000 });
    expect(said!.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(w.calls.chat).toEqual([said]);
    // viewers talk too
    w.core.intent({ id: 'v', identity: w.peers.get('v')!.identity }, 'chat', { type: 'chat', text: 'me too' }, 1001);
    await settle();
    expect((to(w.sent, '*', ServerEvent.CHAT) as ChatMessage[]).map((m) => m.text)).toEqual([said!.text, 'me too']);
    expect(w.errors('v')).toEqual([]);
  });

  it('CHAT-1: refuses an empty or over-long message, and tells the writer when it could not be kept, sending nothing', async () => {
    const w = await fakeCore({ chatFails: true });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'chat', { type: 'chat', text: ' \u0000 ' }, 1);
    w.core.intent(ann, 'chat', { type: 'chat', text: 'x'.repeat(MAX_CHAT_CHARS + 1) }, 2);
    w.core.intent(ann, 'chat', { type: 'chat', text: 'hello' }, 3);
    await settle();
    expect(w.errors('a')).toEqual([ErrorCode.INVALID_INTENT, ErrorCode.INVALID_INTENT, ErrorCode.CHAT_NOT_KEPT]);
    expect(to(w.sent, '*', ServerEvent.CHAT)).toEqual([]);
  });

  it('CHAT-2: sends whoever joins the newest messages, oldest first', async () => {
    const w = await fakeCore();
    for (let i = 0; i < CHAT_HISTORY_LIMIT + 10; i++) w.calls.chat.push({ id: `m${i}`, from: 'x', name: 'X', colour: '#000000', text: `${i}`, at: i });
    w.join('b', 'Bob', 0);
    await settle();
    const [history] = to(w.sent, 'b', ServerEvent.CHAT_HISTORY) as ChatHistory[];
    expect(history!.messages.map((m) => m.text)).toEqual(Array.from({ length: CHAT_HISTORY_LIMIT }, (_, i) => `${i + 10}`));
  });

  it('CHAT-3: lets a burst through, then one a second, refusing the rest without sending or keeping them', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0);
    for (let i = 0; i < CHAT_BURST + 3; i++) w.core.intent(ann, 'chat', { type: 'chat', text: `m${i}` }, 1000 + i);
    w.core.intent(ann, 'chat', { type: 'chat', text: 'later' }, 2100);
    for (let i = 0; i < REACT_BURST + 2; i++) w.core.intent(ann, 'react', { type: 'react', reaction: 'agree' }, 3000 + i);
    await settle();
    expect((to(w.sent, '*', ServerEvent.CHAT) as ChatMessage[]).map((m) => m.text)).toEqual([...Array.from({ length: CHAT_BURST }, (_, i) => `m${i}`), 'later']);
    expect(w.calls.chat).toHaveLength(CHAT_BURST + 1);
    expect(to(w.sent, '*', ServerEvent.REACTION)).toHaveLength(REACT_BURST);
    expect(w.errors('a')).toEqual(Array(5).fill(ErrorCode.CHAT_TOO_FAST));
  });

  it('CHAT-4: passes a reaction to everyone with who sent it, and keeps a raised hand in the state until lowered', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'react', { type: 'react', reaction: 'party' }, 1);
    w.core.intent(ann, 'react', { type: 'react', reaction: 'explode' }, 2);
    expect(to(w.sent, '*', ServerEvent.REACTION)).toEqual([{ from: 'a', reaction: 'party' }]);
    expect(w.errors('a')).toEqual([ErrorCode.INVALID_INTENT]);
    w.core.intent(ann, 'hand', { type: 'hand', raised: true }, 3);
    expect(w.core.state.participants.get('a')!.hand).toBe(true);
    w.core.intent(ann, 'hand', { type: 'hand', raised: false }, 4);
    expect(w.core.state.participants.get('a')!.hand).toBe(false);
    expect(w.calls.chat).toEqual([]);
  });
});

describe('world core: the host\'s voice controls', () => {
  it('VOICE-4: mutes everyone but the owner who asked; an editor may not', async () => {
    const w = await fakeCore({ roles: { u1: 'owner', u2: 'editor' } });
    const owner = w.join('o', 'Olga', 0, { userId: 'u1', role: 'owner' });
    const editor = w.join('e', 'Ed', 0, { userId: 'u2', role: 'editor' });
    w.join('g', 'Gus', 0);
    w.core.intent(editor, 'muteAll', { type: 'muteAll' }, 1);
    expect(w.errors('e')).toEqual([ErrorCode.FORBIDDEN]);
    expect(w.sent.filter((s) => s.type === ServerEvent.MUTED)).toEqual([]);
    w.core.intent(owner, 'muteAll', { type: 'muteAll' }, 2);
    const muted = w.sent.filter((s) => s.type === ServerEvent.MUTED);
    expect(muted.map((s) => s.to).sort()).toEqual(['e', 'g']);
    expect((muted[0]!.message as MutedEvent).message).toContain('Olga muted everyone');
    // it reaches everyone: once every few seconds
    w.core.intent(owner, 'muteAll', { type: 'muteAll' }, 3);
    expect(w.errors('o')).toEqual([ErrorCode.CHAT_TOO_FAST]);
    w.core.intent(owner, 'muteAll', { type: 'muteAll' }, 2 + MUTE_ALL_EVERY_MS);
    expect(w.sent.filter((s) => s.type === ServerEvent.MUTED)).toHaveLength(4);
  });

  it('VOICE-3: the owner\'s megaphone lets a call across the world through; taking it back closes that way again', async () => {
    const w = await fakeCore({ roles: { u1: 'owner' } });
    const owner = w.join('o', 'Olga', 0, { userId: 'u1', role: 'owner' });
    const far = w.join('f', 'Fay', 0);
    w.core.intent(owner, 'pose', pose(-6), 1);
    w.core.intent(far, 'pose', pose(6, 6), 1);
    const offer = { type: 'voiceSignal', to: 'f', kind: 'offer', sdp: 'v=0' };
    w.core.intent(owner, 'voiceSignal', offer, 2);
    expect(w.errors('o')).toEqual([ErrorCode.VOICE_NOT_LINKED]);
    w.core.intent(owner, 'megaphone', { type: 'megaphone', participantId: 'nobody', on: true }, 3);
    expect(w.errors('o').at(-1)).toBe(ErrorCode.PARTICIPANT_NOT_FOUND);
    w.core.intent(far, 'megaphone', { type: 'megaphone', participantId: 'f', on: true }, 3);
    expect(w.errors('f')).toEqual([ErrorCode.FORBIDDEN]);
    w.core.intent(owner, 'megaphone', { type: 'megaphone', participantId: 'o', on: true }, 4);
    expect(w.core.state.participants.get('o')!.megaphone).toBe(true);
    w.core.intent(owner, 'voiceSignal', offer, 5);
    expect((to(w.sent, 'f', ServerEvent.VOICE_SIGNAL) as VoiceSignal[]).map((s) => s.kind)).toEqual(['offer']);
    w.core.intent(owner, 'voiceSignal', { type: 'voiceSignal', to: 'f', kind: 'bye' }, 6);
    w.core.intent(owner, 'megaphone', { type: 'megaphone', participantId: 'o', on: false }, 7);
    w.core.intent(owner, 'voiceSignal', offer, 8);
    expect(w.errors('o').at(-1)).toBe(ErrorCode.VOICE_NOT_LINKED);
    expect(w.audit.filter((e) => e.action === 'megaphone' && e.outcome === 'accepted').map((e) => e.after)).toEqual([{ megaphone: true }, { megaphone: false }]);
  });

  it('VOICE-3: someone standing on the stage is heard across the world', async () => {
    const w = await fakeCore({ template: 'classroom' });
    const stage = stageOf('classroom')!;
    const ann = w.join('a', 'Ann', 0);
    w.join('b', 'Bob', 0);
    w.core.intent(w.peers.get('b')!, 'pose', pose(7, 7), 1);
    w.core.intent(ann, 'pose', pose(-7, 7), 1);
    const offer = { type: 'voiceSignal', to: 'b', kind: 'offer', sdp: 'v=0' };
    w.core.intent(ann, 'voiceSignal', offer, 2);
    expect(w.errors('a')).toEqual([ErrorCode.VOICE_NOT_LINKED]);
    w.core.intent(ann, 'pose', pose(stage.x, stage.z), 3);
    w.core.intent(ann, 'voiceSignal', offer, 4);
    expect(w.errors('a')).toEqual([ErrorCode.VOICE_NOT_LINKED]);
    expect(to(w.sent, 'b', ServerEvent.VOICE_SIGNAL)).toHaveLength(1);
  });
});
