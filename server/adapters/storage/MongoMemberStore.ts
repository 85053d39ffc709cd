/** World members and invites in MongoDB; a conditional update counts an invite's use. */
import type { Collection, Db } from 'mongodb';
import type { InviteRecord, MemberRecord, MemberStore } from './MemberStore';

type MemberDoc = MemberRecord & { _id: string };
type InviteDoc = Omit<InviteRecord, 'id'> & { _id: string };
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };
const memberId = (worldId: string, userId: string) => `${worldId}:${userId}`;

function member(doc: MemberDoc | null): MemberRecord | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return rest;
}
function invite(doc: InviteDoc | null): InviteRecord | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export class MongoMemberStore implements MemberStore {
  private members!: Collection<MemberDoc>;
  private invites!: Collection<InviteDoc>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    const db = this.db();
    this.members = db.collection('world_members');
    this.invites = db.collection('world_invites');
    await Promise.all([this.members.createIndex({ worldId: 1 }), this.invites.createIndex({ worldId: 1 })]);
  }

  async getMember(worldId: string, userId: string): Promise<MemberRecord | undefined> {
    return member(await this.members.findOne({ _id: memberId(worldId, userId) }));
  }

  async listMembers(worldId: string): Promise<MemberRecord[]> {
    return (await this.members.find({ worldId }).toArray()).map((d) => member(d)!);
  }

  async putMember(m: MemberRecord): Promise<void> {
    await this.members.replaceOne({ _id: memberId(m.worldId, m.userId) }, m, { upsert: true, ...DURABLE });
  }

  async deleteMember(worldId: string, userId: string): Promise<boolean> {
    return (await this.members.deleteOne({ _id: memberId(worldId, userId) }, DURABLE)).deletedCount === 1;
  }

  async putInvite({ id, ...rest }: InviteRecord): Promise<void> {
    await this.invites.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getInvite(id: string): Promise<InviteRecord | undefined> {
    return invite(await this.invites.findOne({ _id: id }));
  }

  async listInvites(worldId: string): Promise<InviteRecord[]> {
    return (await this.invites.find({ worldId }).toArray()).map((d) => invite(d)!);
  }

  async useInvite(id: string): Promise<boolean> {
    const r = await this.invites.updateOne({ _id: id, $expr: { $lt: ['$uses', '$maxUses'] } }, { $inc: { uses: 1 } }, DURABLE);
    return r.modifiedCount === 1;
  }

  async revokeInvite(id: string, at: string): Promise<void> {
    await this.invites.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }, DURABLE);
  }
}
