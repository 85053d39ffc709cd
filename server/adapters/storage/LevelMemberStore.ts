/** World members and invites in the embedded LevelDB; the one compare-and-set runs one at a time. */
import type { ClassicLevel } from 'classic-level';
import { serial } from '../../serial';
import type { InviteRecord, MemberRecord, MemberStore } from './MemberStore';

const SEP = '\x00';
const memberPrefix = (worldId: string) => `member${SEP}${worldId}${SEP}`;
const inviteKey = (id: string) => `invite${SEP}${id}`;
/** world → its invites, so listing never scans every world's */
const worldInvitePrefix = (worldId: string) => `winvite${SEP}${worldId}${SEP}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

export class LevelMemberStore implements MemberStore {
  private readonly oneAtATime = serial();

  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async getMember(worldId: string, userId: string): Promise<MemberRecord | undefined> {
    return (await this.db.get(memberPrefix(worldId) + userId)) as MemberRecord | undefined;
  }

  async listMembers(worldId: string): Promise<MemberRecord[]> {
    return (await this.db.values(range(memberPrefix(worldId))).all()) as MemberRecord[];
  }

  async putMember(member: MemberRecord): Promise<void> {
    await this.db.put(memberPrefix(member.worldId) + member.userId, member, SYNC);
  }

  async deleteMember(worldId: string, userId: string): Promise<boolean> {
    const key = memberPrefix(worldId) + userId;
    if ((await this.db.get(key)) === undefined) return false;
    await this.db.del(key, SYNC);
    return true;
  }

  async putInvite(invite: InviteRecord): Promise<void> {
    await this.db.batch().put(inviteKey(invite.id), invite).put(worldInvitePrefix(invite.worldId) + invite.id, invite.id).write(SYNC);
  }

  async getInvite(id: string): Promise<InviteRecord | undefined> {
    return (await this.db.get(inviteKey(id))) as InviteRecord | undefined;
  }

  async listInvites(worldId: string): Promise<InviteRecord[]> {
    const ids = (await this.db.values(range(worldInvitePrefix(worldId))).all()) as string[];
    return (await this.db.getMany(ids.map(inviteKey))).filter((i): i is InviteRecord => i !== undefined);
  }

  useInvite(id: string): Promise<boolean> {
    return this.oneAtATime(async () => {
      const invite = await this.getInvite(id);
      if (!invite || invite.uses >= invite.maxUses) return false;
      await this.db.put(inviteKey(id), { ...invite, uses: invite.uses + 1 }, SYNC);
      return true;
    });
  }

  revokeInvite(id: string, at: string): Promise<void> {
    return this.oneAtATime(async () => {
      const invite = await this.getInvite(id);
      if (invite && !invite.revokedAt) await this.db.put(inviteKey(id), { ...invite, revokedAt: at }, SYNC);
    });
  }
}
