/**
 * Who belongs to which world and with what role, and the invite links that admit people. Invite
 * links are stored as SHA-256 digests of their secret part, like API keys; using one is a
 * compare-and-set so a one-time link admits exactly one person however many race for it.
 */
import type { InviteRole, WorldRole } from '../../../shared/model/roles';

export interface MemberRecord {
  worldId: string;
  userId: string;
  username: string;
  role: WorldRole;
  addedAt: string;
  /** The account that admitted them (the owner, or themselves by an invite's link). */
  addedBy: string;
}

export interface InviteRecord {
  id: string;
  worldId: string;
  role: InviteRole;
  /** SHA-256 of the whole invite token, hex. */
  hash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  /** How many people the link may admit; 1 for a one-time link. */
  maxUses: number;
  uses: number;
  revokedAt?: string;
}

export interface MemberStore {
  getMember(worldId: string, userId: string): Promise<MemberRecord | undefined>;
  listMembers(worldId: string): Promise<MemberRecord[]>;
  /** Creates or replaces a membership. */
  putMember(member: MemberRecord): Promise<void>;
  /** False when there was no such member. */
  deleteMember(worldId: string, userId: string): Promise<boolean>;

  putInvite(invite: InviteRecord): Promise<void>;
  getInvite(id: string): Promise<InviteRecord | undefined>;
  listInvites(worldId: string): Promise<InviteRecord[]>;
  /** Counts one use if the invite has uses left; false when it had none (or does not exist). */
  useInvite(id: string): Promise<boolean>;
  revokeInvite(id: string, at: string): Promise<void>;
}
