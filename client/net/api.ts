/** The REST API under /api/v3, typed for what the client uses. */
import { serverUrl } from './endpoint';
import { authHeaders } from './account';
import type { EventSummary } from '../../shared/model/events';

export type { EventSummary };

export interface WorldSummary {
  id: string;
  name: string;
  template: string;
  capacity: number;
  participants: number;
  createdAt: string;
  /** The account that owns it; absent for a world made by a guest. */
  ownerId?: string;
}

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
}

/** A failed request, with a message meant for the person using the page. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${serverUrl()}/api/v3${path}`, {
      ...init,
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...(await authHeaders()) },
    });
  } catch {
    throw new ApiError('NETWORK', 'Cannot reach the server. Check that it is running and that you are online.', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const message = typeof error?.message === 'string' ? error.message : `The server answered ${res.status} ${res.statusText}.`;
    throw new ApiError(typeof error?.code === 'string' ? error.code : 'HTTP', message, res.status);
  }
  return body as T;
}

export async function listWorlds(): Promise<WorldSummary[]> {
  return (await request<{ worlds: WorldSummary[] }>('/worlds')).worlds;
}

export async function getWorld(id: string): Promise<WorldSummary> {
  return (await request<{ world: WorldSummary }>(`/worlds/${encodeURIComponent(id)}`)).world;
}

export interface Member {
  userId: string;
  username: string;
  role: 'owner' | 'editor' | 'viewer';
}

export async function listMembers(worldId: string): Promise<Member[]> {
  return (await request<{ members: Member[] }>(`/worlds/${encodeURIComponent(worldId)}/members`)).members;
}

export async function changeRole(worldId: string, userId: string, role: 'editor' | 'viewer'): Promise<void> {
  await request(`/worlds/${encodeURIComponent(worldId)}/members/${encodeURIComponent(userId)}`, { method: 'PUT', body: JSON.stringify({ role }) });
}

export async function removeMember(worldId: string, userId: string): Promise<void> {
  await request(`/worlds/${encodeURIComponent(worldId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

/** A new invite link's token (shown once), for `role`; one-time unless `maxUses` says otherwise. */
export async function createInvite(worldId: string, role: 'editor' | 'viewer', maxUses = 1): Promise<string> {
  return (await request<{ token: string }>(`/worlds/${encodeURIComponent(worldId)}/invites`, { method: 'POST', body: JSON.stringify({ role, maxUses }) })).token;
}

export async function acceptInvite(worldId: string, token: string): Promise<Member> {
  return (await request<{ member: Member }>(`/worlds/${encodeURIComponent(worldId)}/invites/accept`, { method: 'POST', body: JSON.stringify({ token }) })).member;
}

export async function listTemplates(): Promise<TemplateSummary[]> {
  return (await request<{ templates: TemplateSummary[] }>('/worlds/templates')).templates;
}

export async function createWorld(input: { name: string; template: string; guestRole?: 'none' | 'viewer' | 'editor' }): Promise<WorldSummary> {
  return (await request<{ world: WorldSummary }>('/worlds', { method: 'POST', body: JSON.stringify(input) })).world;
}

export interface ConnectInfo {
  /** The address on this machine, and those on the local network. */
  local: string;
  lan: string[];
  secure: boolean;
  /** A QR code (SVG) of the address a headset or phone should open. */
  qr: { url: string; svg: string };
}

export async function getConnectInfo(): Promise<ConnectInfo> {
  return request<ConnectInfo>('/connect');
}

const EVENTS = '/metaverse/events';
const eventPath = (id: string) => `${EVENTS}/${encodeURIComponent(id)}`;

/** Events to come of every world this browser's person may enter, soonest first. */
export async function listEvents(): Promise<EventSummary[]> {
  return (await request<{ events: EventSummary[] }>(EVENTS)).events;
}

export async function scheduleEvent(input: { worldId: string; title: string; description?: string; startsAt: string; endsAt: string; capacity?: number }): Promise<EventSummary> {
  return (await request<{ event: EventSummary }>(EVENTS, { method: 'POST', body: JSON.stringify(input) })).event;
}

export async function cancelEvent(id: string): Promise<EventSummary> {
  return (await request<{ event: EventSummary }>(eventPath(id), { method: 'DELETE' })).event;
}

/** Says (or, with `going` false, takes back) that the signed-in person is coming. */
export async function rsvpEvent(id: string, going: boolean): Promise<EventSummary> {
  return (await request<{ event: EventSummary }>(`${eventPath(id)}/rsvp`, { method: going ? 'POST' : 'DELETE' })).event;
}

/** Where an event's calendar file is (a private world's needs the account's token too). */
export function eventCalendarUrl(id: string): string {
  return `${serverUrl()}/api/v3${eventPath(id)}/ics`;
}

/** The event's calendar file, fetched as the signed-in person, with the name the server gave it. */
export function eventCalendar(id: string): Promise<{ blob: Blob; fileName: string }> {
  return downloadFile(`${eventPath(id)}/ics`, 'event.ics');
}

/** A file the server hands out (a calendar, a report), fetched as the signed-in person, with the name the server gave it. */
export async function downloadFile(path: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  let res: Response;
  try {
    res = await fetch(`${serverUrl()}/api/v3${path}`, { headers: await authHeaders() });
  } catch {
    throw new ApiError('NETWORK', 'Cannot reach the server. Check that it is running and that you are online.', 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(body?.error?.code ?? 'HTTP', body?.error?.message ?? `The server answered ${res.status}.`, res.status);
  }
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  return { blob: await res.blob(), fileName };
}
