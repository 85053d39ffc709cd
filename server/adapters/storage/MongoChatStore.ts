/** Each world's chat in MongoDB, one document a message, indexed by world and time. */
import type { Collection, Db } from 'mongodb';
import type { ChatMessage } from '../../../shared/protocol';
import type { ChatRetention, ChatStore } from './ChatStore';

type ChatDoc = Omit<ChatMessage, 'id'> & { _id: string; worldId: string };
const PRUNE_EVERY = 16;

export class MongoChatStore implements ChatStore {
  private chat!: Collection<ChatDoc>;
  private writes = 0;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.chat = this.db().collection('world_chat');
    await this.chat.createIndex({ worldId: 1, at: -1 });
  }

  async appendChat(worldId: string, message: ChatMessage, retention: ChatRetention): Promise<void> {
    const { id, ...rest } = message;
    await this.chat.insertOne({ _id: id, worldId, ...rest });
    await this.chat.deleteMany({ worldId, at: { $lt: message.at - retention.maxAgeMs } });
    if (++this.writes % PRUNE_EVERY !== 0) return;
    const oldestKept = await this.chat.find({ worldId }, { projection: { at: 1 } }).sort({ at: -1 }).skip(retention.keep - 1).limit(1).next();
    if (oldestKept) await this.chat.deleteMany({ worldId, at: { $lt: oldestKept.at } });
  }

  async recentChat(worldId: string, limit: number, notBefore: number): Promise<ChatMessage[]> {
    const docs = await this.chat.find({ worldId, at: { $gte: notBefore } }).sort({ at: -1 }).limit(limit).toArray();
    return docs.reverse().map(({ _id, worldId: _w, ...rest }) => ({ id: _id, ...rest }));
  }
}
