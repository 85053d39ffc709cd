/** Each world's chat in the embedded LevelDB, keyed by world and time so the newest are read first. */
import type { ClassicLevel } from 'classic-level';
import type { ChatMessage } from '../../../shared/protocol';
import type { ChatRetention, ChatStore } from './ChatStore';
import { SEP, sortableTime } from './levelKeys';

const prefix = (worldId: string) => `chat${SEP}${worldId}${SEP}`;
const key = (worldId: string, m: ChatMessage) => `${prefix(worldId)}${sortableTime(m.at)}${SEP}${m.id}`;
/** Pruning by count runs on every this many writes: a world holds at most keep + this many. */
const PRUNE_EVERY = 16;

export class LevelChatStore implements ChatStore {
  private writes = 0;

  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async appendChat(worldId: string, message: ChatMessage, retention: ChatRetention): Promise<void> {
    await this.db.put(key(worldId, message), message);
    const p = prefix(worldId);
    // older than the retention: everything before the cut-off time, in one range
    await this.db.clear({ gt: p, lt: p + sortableTime(message.at - retention.maxAgeMs) });
    if (++this.writes % PRUNE_EVERY !== 0) return;
    const extra = await this.db.keys({ gt: p, lt: `${p}\xff`, reverse: true }).all();
    const drop = extra.slice(retention.keep);
    if (drop.length) await this.db.batch(drop.map((k) => ({ type: 'del' as const, key: k })));
  }

  async recentChat(worldId: string, limit: number, notBefore: number): Promise<ChatMessage[]> {
    const p = prefix(worldId);
    const newest = (await this.db.values({ gte: p + sortableTime(notBefore), lt: `${p}\xff`, reverse: true, limit }).all()) as ChatMessage[];
    return newest.reverse();
  }
}
