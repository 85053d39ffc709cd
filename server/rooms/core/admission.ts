/**
 * Who may come into a world, and where they arrive: the access token and role check before a join,
 * then the join's options, the protocol version and the world's capacity, and a seat clear of
 * everyone already there.
 */
import { ServerError } from '@colyseus/core';
import { ErrorCode, JoinOptions, PROTOCOL_VERSION, describeIssues, type Vec3 } from '../../../shared/protocol';
import { spawnPosition } from '../../../shared/model/placement';
import type { WorldRecord } from '../../../shared/model/worlds';
import { ParticipantState, type WorldState } from '../../../shared/schema/WorldState';
import { AppError } from '../../errors';
import { setPose } from '../stateSync';
import type { JoinIdentity, WorldCoreDeps } from './types';

/**
 * Numeric codes of refused joins. They are HTTP statuses because a refusal in onCreate travels back
 * as the matchmaking HTTP response; the message starts with our protocol error code.
 */
export const JoinErrorStatus = {
  [ErrorCode.INVALID_JOIN]: 400,
  [ErrorCode.WORLD_NOT_FOUND]: 404,
  [ErrorCode.PROTOCOL_MISMATCH]: 426,
  [ErrorCode.WORLD_FULL]: 429,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
} as const;

export function joinError(code: keyof typeof JoinErrorStatus, message: string): ServerError {
  return new ServerError(JoinErrorStatus[code], `${code}: ${message}`);
}

export const AVATAR_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c'];

/**
 * Joining with an access token names the participant after the account; a bad token is refused.
 * The world's roles decide whether they are let in at all, and as what. Throws the join refusal.
 */
export async function identify(deps: Pick<WorldCoreDeps, 'auth' | 'access'>, world: WorldRecord, token: unknown, address: string | undefined): Promise<JoinIdentity> {
  try {
    let who: { userId: string; username: string } | null = null;
    let familyId = '';
    if (token === undefined) {
      if (!deps.auth.guestAccess) throw new AppError(ErrorCode.UNAUTHORIZED, 'This server lets in only people who are signed in: sign in, then join with your access token.', 401);
    } else {
      if (typeof token !== 'string' || token.length > 4096) throw new AppError(ErrorCode.UNAUTHORIZED, 'The access token is not valid.', 401);
      const user = await deps.auth.identify(token);
      who = { userId: user.userId, username: user.username };
      familyId = user.familyId;
    }
    const role = await deps.access.roleIn(world, who);
    if (!role) {
      throw who
        ? new AppError(ErrorCode.FORBIDDEN, `"${world.name}" is private and you have not been invited. Ask its owner for an invite link.`, 403)
        : new AppError(ErrorCode.UNAUTHORIZED, `"${world.name}" is private: sign in with an account its owner invited.`, 401);
    }
    return who ? { kind: 'user', ...who, familyId, role } : { kind: 'guest', address: address ?? 'unknown', role };
  } catch (err) {
    throw err instanceof AppError ? joinError(err.code === ErrorCode.FORBIDDEN ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHORIZED, err.message) : err;
  }
}

/**
 * A new participant for a client that asks to join with `options`, seated clear of everyone
 * already here, facing the front wall, at standing eye height. Throws the join refusal.
 */
export function admit(
  state: WorldState,
  world: WorldRecord,
  join: { clientId: string; identity: JoinIdentity | undefined; options: unknown; nextColour(): string; numberFor(id: string): number },
): ParticipantState {
  const parsed = JoinOptions.safeParse(join.options);
  if (!parsed.success) throw joinError(ErrorCode.INVALID_JOIN, describeIssues(parsed.error));
  const options = parsed.data;
  if (options.protocol !== PROTOCOL_VERSION) {
    throw joinError(
      ErrorCode.PROTOCOL_MISMATCH,
      `This page speaks protocol ${options.protocol} but the server speaks ${PROTOCOL_VERSION}. Reload the page to get the current version.`,
    );
  }
  if (state.participants.size >= world.capacity) {
    throw joinError(ErrorCode.WORLD_FULL, `"${world.name}" is full (${world.capacity} people). Try again later.`);
  }
  const p = new ParticipantState();
  p.id = join.clientId;
  p.name = join.identity?.kind === 'user' ? join.identity.username : options.name;
  p.role = join.identity?.role ?? 'editor';
  p.colour = options.colour ?? join.nextColour();
  p.device = options.device;
  p.look = options.look ? JSON.stringify(options.look) : '';
  p.n = join.numberFor(join.clientId);
  const heads = [...state.participants.values()].map((o) => [o.head.px, o.head.py, o.head.pz] as Vec3);
  setPose(p.head, [...spawnPosition(heads), 0, 0, 0, 1]);
  setPose(p.left, null);
  setPose(p.right, null);
  return p;
}

/** The name a refused join asked for, if any, for the audit entry of its refusal. */
export function askedName(options: unknown): string | undefined {
  const name = (options as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name.slice(0, 64) : undefined;
}
