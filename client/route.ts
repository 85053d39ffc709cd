/** The page's routes, read from the URL hash so that world links work from any static host. */
import { EntityId } from '../shared/protocol';

const WORLD_ROUTE = /^#\/w\/([^/?#]+)/;

export type Route = { page: 'lobby' } | { page: 'world'; worldId: string } | { page: 'bad-link' };

export function parseRoute(hash: string): Route {
  const m = WORLD_ROUTE.exec(hash);
  if (!m) return { page: 'lobby' };
  let raw: string;
  try {
    raw = decodeURIComponent(m[1]!);
  } catch {
    return { page: 'bad-link' };
  }
  const id = EntityId.safeParse(raw);
  return id.success ? { page: 'world', worldId: id.data } : { page: 'bad-link' };
}

export function worldHash(worldId: string): string {
  return `#/w/${encodeURIComponent(worldId)}`;
}
