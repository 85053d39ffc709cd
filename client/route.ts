/** The page's routes, read from the URL hash so that world links work from any static host. */
import { EntityId } from '../shared/protocol';

const WORLD_ROUTE = /^#\/w\/([^/?#]+)/;

/** `invite` is the token of an invite link (`#/w/<id>?invite=<token>`), accepted before joining. */
export type Route = { page: 'lobby' } | { page: 'dashboard' } | { page: 'world'; worldId: string; invite?: string } | { page: 'bad-link' };

export const DASHBOARD_HASH = '#/dashboard';

const INVITE = /[?&]invite=(inv_[A-Za-z0-9_-]{1,120})(?:&|$)/;

export function parseRoute(hash: string): Route {
  if (hash === DASHBOARD_HASH || hash.startsWith(`${DASHBOARD_HASH}?`)) return { page: 'dashboard' };
  const m = WORLD_ROUTE.exec(hash);
  if (!m) return { page: 'lobby' };
  let raw: string;
  try {
    raw = decodeURIComponent(m[1]!);
  } catch {
    return { page: 'bad-link' };
  }
  const id = EntityId.safeParse(raw);
  if (!id.success) return { page: 'bad-link' };
  const invite = INVITE.exec(hash)?.[1];
  return invite ? { page: 'world', worldId: id.data, invite } : { page: 'world', worldId: id.data };
}

/** The link that admits someone to a world with an invite's role. */
export function inviteUrl(worldId: string, token: string): string {
  return `${location.origin}${location.pathname}${worldHash(worldId)}?invite=${encodeURIComponent(token)}`;
}

export function worldHash(worldId: string): string {
  return `#/w/${encodeURIComponent(worldId)}`;
}
