/**
 * The world's chat, reactions and the host's "mute all", as this page hears them. Listening starts
 * the moment the room is joined, before any view exists, so the chat history the server sends on
 * joining is never missed.
 */
import { ServerEvent, type ChatHistory, type ChatMessage, type MutedEvent, type ReactionEvent } from '../../shared/protocol';

/** The most messages a page holds; older ones scroll away. */
export const CHAT_SHOWN = 200;

interface RoomLike {
  onMessage<T>(type: string, cb: (message: T) => void): () => void;
}

export class SocialChannel {
  private readonly log: ChatMessage[] = [];
  private readonly ids = new Set<string>();
  private readonly chatListeners = new Set<(messages: readonly ChatMessage[], live: boolean) => void>();
  private readonly reactionListeners = new Set<(r: ReactionEvent) => void>();
  private readonly mutedListeners = new Set<(m: MutedEvent) => void>();
  private readonly stops: Array<() => void> = [];

  constructor(room: RoomLike) {
    this.stops.push(
      room.onMessage(ServerEvent.CHAT_HISTORY, (h: ChatHistory) => this.add(Array.isArray(h?.messages) ? h.messages : [], false)),
      room.onMessage(ServerEvent.CHAT, (m: ChatMessage) => this.add([m], true)),
      room.onMessage(ServerEvent.REACTION, (r: ReactionEvent) => {
        for (const l of this.reactionListeners) l(r);
      }),
      room.onMessage(ServerEvent.MUTED, (m: MutedEvent) => {
        for (const l of this.mutedListeners) l(m);
      }),
    );
  }

  /** The chat as this page has it, oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.log;
  }

  /**
   * Called with the whole chat now and whenever messages arrive; `live` when they were just said
   * (not the history sent on joining).
   */
  onChat(listener: (messages: readonly ChatMessage[], live: boolean) => void): () => void {
    this.chatListeners.add(listener);
    listener(this.log, false);
    return () => this.chatListeners.delete(listener);
  }

  onReaction(listener: (r: ReactionEvent) => void): () => void {
    this.reactionListeners.add(listener);
    return () => this.reactionListeners.delete(listener);
  }

  onMuted(listener: (m: MutedEvent) => void): () => void {
    this.mutedListeners.add(listener);
    return () => this.mutedListeners.delete(listener);
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.chatListeners.clear();
    this.reactionListeners.clear();
    this.mutedListeners.clear();
  }

  private add(messages: readonly ChatMessage[], live: boolean): void {
    const added = messages.filter((m) => m && typeof m.id === 'string' && typeof m.text === 'string' && !this.ids.has(m.id));
    if (!added.length) return;
    for (const m of added) this.ids.add(m.id);
    this.log.push(...added);
    this.log.sort((a, b) => a.at - b.at);
    for (const gone of this.log.splice(0, Math.max(0, this.log.length - CHAT_SHOWN))) this.ids.delete(gone.id);
    for (const l of this.chatListeners) l(this.log, live);
  }
}
