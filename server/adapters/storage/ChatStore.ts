/**
 * Each world's chat, kept for a while: appended as people write, read back (the newest part) when
 * someone joins, and pruned to the retention on the way in, so a busy world's chat cannot grow
 * without end.
 */
import type { ChatMessage } from '../../../shared/protocol';

/** How long and how much chat a world keeps. */
export interface ChatRetention {
  /** The most messages kept per world; older ones go first. */
  keep: number;
  /** Messages older than this (milliseconds) are dropped. */
  maxAgeMs: number;
}

export interface ChatStore {
  /** Keeps a message of the world's and drops what the retention no longer covers. */
  appendChat(worldId: string, message: ChatMessage, retention: ChatRetention): Promise<void>;
  /** The world's newest messages sent at or after `notBefore`, at most `limit`, oldest first. */
  recentChat(worldId: string, limit: number, notBefore: number): Promise<ChatMessage[]>;
}
