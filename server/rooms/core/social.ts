/**
 * What people say to each other in a world besides their voices: chat (kept with the world within
 * its retention, passed to everyone here once kept, the recent part shown to whoever joins),
 * reactions (passed on, not kept) and the owner muting everyone. Each person may write and react
 * only so fast, over and above the room's general rate limit, so one person cannot fill the chat or
 * the view.
 */
import { ErrorCode, ServerEvent, type ChatHistory, type ChatMessage, type MutedEvent, type ReactionEvent } from '../../../shared/protocol';
import type { Effect } from '../../../shared/model/world';
import { serial } from '../../serial';
import { newId } from '../../worlds';
import { TokenBucket } from '../rateLimit';
import type { CoreContext } from './types';

/** Chat messages a person may send: a burst of this many, then one every {@link CHAT_EVERY_MS}. */
export const CHAT_BURST = 5;
export const CHAT_EVERY_MS = 1000;
/** Reactions: a burst, then a few a second. */
export const REACT_BURST = 6;
export const REACT_PER_SECOND = 2;
/** "Mute all" reaches everyone: an owner may send it once every few seconds. */
export const MUTE_ALL_EVERY_MS = 3000;
/** How much chat someone joining is shown. */
export const CHAT_HISTORY_LIMIT = 50;

type Kind = 'chat' | 'react' | 'muteAll';
/** How fast each kind may come from one person, and what they are told past it. */
const GATES: Record<Kind, { rate: number; burst: number; tooFast: string }> = {
  chat: { rate: 1000 / CHAT_EVERY_MS, burst: CHAT_BURST, tooFast: 'You are writing faster than the chat allows; wait a moment and send it again.' },
  react: { rate: REACT_PER_SECOND, burst: REACT_BURST, tooFast: 'Too many reactions at once; wait a moment.' },
  muteAll: { rate: 1000 / MUTE_ALL_EVERY_MS, burst: 1, tooFast: 'Everyone was muted a moment ago; wait a few seconds before muting everyone again.' },
};

export class Social {
  private readonly gates = new Map<string, TokenBucket>();
  /** Chat is kept and passed on in the order it was written. */
  private readonly keeping = serial();
  /** The time of the last message: each one gets a later time, so the order read back is the order said. */
  private lastAt = 0;

  constructor(private readonly ctx: CoreContext) {}

  /** Keeps a chat message and then passes it to everyone; the writer hears if it could not be kept. */
  chat(effect: Extract<Effect, { op: 'chat' }>, now: number): void {
    if (!this.admit(effect.from, 'chat', now)) return;
    this.lastAt = Math.max(Math.floor(now), this.lastAt + 1);
    const message: ChatMessage = { id: newId(), from: effect.from, name: effect.name, colour: effect.colour, text: effect.text, at: this.lastAt };
    const { store, retention } = this.ctx.deps.chat;
    this.keeping(() => store.appendChat(this.ctx.world.id, message, retention))
      .then(() => this.ctx.port.broadcast(ServerEvent.CHAT, message))
      .catch((err: unknown) => {
        this.ctx.log.error({ err }, 'keeping a chat message failed');
        this.ctx.refuse(effect.from, ErrorCode.CHAT_NOT_KEPT, 'Your message could not be kept, so it was not sent. Try again in a moment.', 'chat');
      });
  }

  react(effect: Extract<Effect, { op: 'react' }>, now: number): void {
    if (!this.admit(effect.from, 'react', now)) return;
    const event: ReactionEvent = { from: effect.from, reaction: effect.reaction };
    this.ctx.port.broadcast(ServerEvent.REACTION, event);
  }

  /** Tells everyone but the owner who asked to mute their microphone. */
  muteAll(effect: Extract<Effect, { op: 'muteAll' }>, now: number): void {
    if (!this.admit(effect.by, 'muteAll', now)) return;
    const event: MutedEvent = { by: effect.by, message: `${effect.name} muted everyone. Unmute when you want to speak.` };
    for (const peer of this.ctx.port.peers()) if (peer.id !== effect.by) this.ctx.port.send(peer.id, ServerEvent.MUTED, event);
  }

  /** Sends someone who just joined the world's recent chat (within the retention). */
  async welcome(clientId: string, now: number): Promise<void> {
    const { store, retention } = this.ctx.deps.chat;
    const messages = await store.recentChat(this.ctx.world.id, CHAT_HISTORY_LIMIT, now - retention.maxAgeMs);
    const history: ChatHistory = { messages };
    this.ctx.port.send(clientId, ServerEvent.CHAT_HISTORY, history);
  }

  forget(clientId: string): void {
    this.gates.delete(`chat:${clientId}`);
    this.gates.delete(`react:${clientId}`);
    this.gates.delete(`muteAll:${clientId}`);
  }

  private admit(clientId: string, kind: Kind, now: number): boolean {
    const key = `${kind}:${clientId}`;
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new TokenBucket({ ...GATES[kind], patienceMs: Infinity }, now);
      this.gates.set(key, gate);
    }
    if (gate.take(now) === 'accept') return true;
    this.ctx.refuse(clientId, ErrorCode.CHAT_TOO_FAST, GATES[kind].tooFast, kind);
    return false;
  }
}
