/**
 * Who may do what in which world. A world made by a signed-in person belongs to them (its owner);
 * the owner admits others by invite links carrying a role, changes their roles and removes them.
 * Everyone who is not a member gets the world's guest role, which for worlds made by guests is
 * 'editor', so the open embedded default keeps working. Administrators act as owners everywhere.
 * Changes reach a world's room at once through the world event bus.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode, type IntentType } from '../../shared/protocol';
import { INVITE_ROLES, allowed, atLeast, explainRefusal, type WorldAction, type WorldRole } from '../../shared/model/roles';
import type { WorldRecord } from '../../shared/model/worlds';
import type { InviteRecord, MemberRecord, MemberStore } from '../adapters/storage/MemberStore';
import type { Store } from '../adapters/storage/Store';
import type { AuditInput } from '../audit/AuditLog';
import { randomToken, sha256 } from '../auth/tokens';
import type { WorldEventBus } from '../rooms/worldEvents';
import { AppError } from '../errors';

/** A signed-in person (by token or API key), or null for a guest. */
export type Who = { userId: string; username: string } | null;

export const CreateInvite = z.strictObject({
  role: z.enum(INVITE_ROLES),
  /** Absent: the link works until it is used up or revoked. */
  expiresInSeconds: z.number().int().min(60).max(90 * 86_400).optional(),
  /** 1 (the default) makes a one-time link. */
  maxUses: z.number().int().min(1).max(1000).default(1),
});
export const ChangeRole = z.strictObject({ role: z.enum(INVITE_ROLES) });

export interface PublicInvite {
  id: string;
  worldId: string;
  role: InviteRecord['role'];
  createdAt: string;
  expiresAt: string | null;
  maxUses: number;
  uses: number;
  revokedAt?: string;
}

export interface WorldAccessOptions {
  store: Store;
  members: MemberStore;
  events: WorldEventBus;
  audit: { record(input: AuditInput): unknown };
  /** Usernames that act as owners of every world and read the whole audit log. */
  admins: ReadonlySet<string>;
  now?: () => number;
}

const INVITE_PATTERN = /^inv_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const publicInvite = ({ hash: _hash, createdBy: _by, ...rest }: InviteRecord): PublicInvite => rest;
const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message, 403);

export class WorldAccess {
  private readonly now: () => number;

  constructor(private readonly o: WorldAccessOptions) {
    this.now = o.now ?? Date.now;
  }

  isAdmin(who: Who): boolean {
    return who !== null && this.o.admins.has(who.username);
  }

  /** The role `who` has in `world`, or null when they are not let in. */
  async roleIn(world: WorldRecord, who: Who): Promise<WorldRole | null> {
    if (who) {
      if (world.ownerId === who.userId || this.isAdmin(who)) return 'owner';
      const member = await this.o.members.getMember(world.id, who.userId);
      if (member) return member.role;
    }
    const guests = world.guestRole ?? 'editor';
    return guests === 'none' ? null : guests;
  }

  /** The world and the caller's role in it; refused (403) when that role may not do `action`. */
  async require(worldId: string, who: Who, action: WorldAction | IntentType): Promise<{ world: WorldRecord; role: WorldRole }> {
    const world = await this.world(worldId);
    const role = await this.roleIn(world, who);
    if (!allowed(role, action)) {
      if (!role && !who) throw new AppError(ErrorCode.UNAUTHORIZED, `"${world.name}" is private: sign in with an account its owner invited.`, 401);
      throw forbidden(explainRefusal(role, action));
    }
    return { world, role: role! };
  }

  /** The worlds `who` may see, of those given. */
  async visible(worlds: WorldRecord[], who: Who): Promise<WorldRecord[]> {
    const out: WorldRecord[] = [];
    for (const w of worlds) if (await this.roleIn(w, who)) out.push(w);
    return out;
  }

  /** Makes `who` the owner of a world they just made. */
  async addOwner(world: WorldRecord, who: NonNullable<Who>): Promise<void> {
    await this.o.members.putMember({ worldId: world.id, userId: who.userId, username: who.username, role: 'owner', addedAt: this.iso(), addedBy: who.userId });
  }

  async listMembers(worldId: string, who: Who): Promise<MemberRecord[]> {
    await this.require(worldId, who, 'read');
    return (await this.o.members.listMembers(worldId)).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  }

  async listInvites(worldId: string, who: Who): Promise<PublicInvite[]> {
    await this.require(worldId, who, 'manageMembers');
    return (await this.o.members.listInvites(worldId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(publicInvite);
  }

  /** A new invite link's token: shown in this answer only, kept as a digest. */
  async createInvite(worldId: string, who: Who, raw: unknown): Promise<{ token: string; invite: PublicInvite }> {
    const { world } = await this.require(worldId, who, 'manageMembers');
    const input = parse(CreateInvite, raw, 'invite');
    const id = randomBytes(8).toString('hex');
    const token = `inv_${id}_${randomToken(32)}`;
    const invite: InviteRecord = {
      id,
      worldId: world.id,
      role: input.role,
      hash: sha256(token),
      createdBy: who!.userId,
      createdAt: this.iso(),
      expiresAt: input.expiresInSeconds === undefined ? null : new Date(this.now() + input.expiresInSeconds * 1000).toISOString(),
      maxUses: input.maxUses,
      uses: 0,
    };
    await this.o.members.putInvite(invite);
    this.audit(world.id, who!, 'member.invite', { type: 'invite', id }, undefined, { role: input.role, maxUses: input.maxUses, expiresAt: invite.expiresAt });
    return { token, invite: publicInvite(invite) };
  }

  async revokeInvite(worldId: string, who: Who, inviteId: string): Promise<void> {
    const { world } = await this.require(worldId, who, 'manageMembers');
    const invite = await this.o.members.getInvite(inviteId);
    if (!invite || invite.worldId !== world.id) throw new AppError(ErrorCode.NOT_FOUND, 'This world has no invite with that id.', 404);
    await this.o.members.revokeInvite(inviteId, this.iso());
    this.audit(world.id, who!, 'member.invite.revoke', { type: 'invite', id: inviteId });
  }

  /** Admits a signed-in person by an invite's token with the invite's role; never lowers a role they have. */
  async acceptInvite(worldId: string, who: Who, token: unknown): Promise<{ world: WorldRecord; member: MemberRecord }> {
    const world = await this.world(worldId);
    if (!who) throw new AppError(ErrorCode.UNAUTHORIZED, 'Sign in (or sign up) first, then open the invite link again.', 401);
    const m = typeof token === 'string' ? INVITE_PATTERN.exec(token) : null;
    const invite = m ? await this.o.members.getInvite(m[1]!) : undefined;
    const refuse = (why: string) => {
      this.audit(world.id, who, 'member.accept', invite ? { type: 'invite', id: invite.id } : undefined, undefined, undefined, 'refused', why);
      return forbidden(`This invite link ${why}. Ask the owner for a new one.`);
    };
    if (!invite || invite.worldId !== world.id || !timingSafeEqual(Buffer.from(invite.hash, 'hex'), Buffer.from(sha256(String(token)), 'hex'))) throw refuse('is not valid for this world');
    if (invite.revokedAt) throw refuse('has been revoked');
    if (invite.expiresAt && Date.parse(invite.expiresAt) <= this.now()) throw refuse('has expired');
    const current = await this.roleIn(world, who);
    const existing = await this.o.members.getMember(world.id, who.userId);
    if (existing && atLeast(existing.role, invite.role)) return { world, member: existing };
    if (!(await this.o.members.useInvite(invite.id))) throw refuse('has already been used');
    const member: MemberRecord = { worldId: world.id, userId: who.userId, username: who.username, role: invite.role, addedAt: existing?.addedAt ?? this.iso(), addedBy: invite.createdBy };
    await this.o.members.putMember(member);
    this.audit(world.id, who, 'member.accept', { type: 'user', id: who.userId }, current ? { role: current } : undefined, { role: invite.role, invite: invite.id });
    this.o.events.publish(world.id, { type: 'accessChanged', userId: who.userId, removed: false });
    return { world, member };
  }

  async changeRole(worldId: string, who: Who, userId: string, raw: unknown): Promise<MemberRecord> {
    const { world } = await this.require(worldId, who, 'manageMembers');
    const { role } = parse(ChangeRole, raw, 'role change');
    const member = await this.member(world, userId);
    if (member.role === 'owner' || world.ownerId === userId) throw new AppError(ErrorCode.BAD_REQUEST, 'The owner\'s role cannot be changed.');
    const updated = { ...member, role };
    await this.o.members.putMember(updated);
    this.audit(world.id, who!, 'member.role', { type: 'user', id: userId }, { role: member.role }, { role });
    this.o.events.publish(world.id, { type: 'accessChanged', userId, removed: false });
    return updated;
  }

  async removeMember(worldId: string, who: Who, userId: string): Promise<void> {
    const { world } = await this.require(worldId, who, 'manageMembers');
    const member = await this.member(world, userId);
    if (member.role === 'owner' || world.ownerId === userId) throw new AppError(ErrorCode.BAD_REQUEST, 'The owner cannot be removed from their own world.');
    await this.o.members.deleteMember(world.id, userId);
    this.audit(world.id, who!, 'member.remove', { type: 'user', id: userId }, { role: member.role }, undefined);
    this.o.events.publish(world.id, { type: 'accessChanged', userId, removed: true });
  }

  private async member(world: WorldRecord, userId: string): Promise<MemberRecord> {
    const member = typeof userId === 'string' && userId.length <= 64 ? await this.o.members.getMember(world.id, userId) : undefined;
    if (!member) throw new AppError(ErrorCode.NOT_FOUND, `"${world.name}" has no member with that id.`, 404);
    return member;
  }

  private async world(worldId: string): Promise<WorldRecord> {
    const world = typeof worldId === 'string' && worldId.length <= 64 ? await this.o.store.getWorld(worldId) : undefined;
    if (!world) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${String(worldId).slice(0, 64)}".`, 404);
    return world;
  }

  private audit(worldId: string, who: NonNullable<Who>, action: string, target?: { type: string; id: string }, before?: unknown, after?: unknown, outcome: 'accepted' | 'refused' = 'accepted', detail?: string): void {
    this.o.audit.record({
      worldId,
      actor: { kind: 'client', id: who.userId, name: who.username },
      action,
      outcome,
      ...(target ? { target } : {}),
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid ${what}: ${parsed.error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
  return parsed.data;
}
