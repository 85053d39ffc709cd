/** The REST API under /api/v3, typed for what the client uses. */
import { serverUrl } from './endpoint';

export interface WorldSummary {
  id: string;
  name: string;
  template: string;
  capacity: number;
  participants: number;
  createdAt: string;
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
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) },
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

export async function listTemplates(): Promise<TemplateSummary[]> {
  return (await request<{ templates: TemplateSummary[] }>('/worlds/templates')).templates;
}

export async function createWorld(input: { name: string; template: string }): Promise<WorldSummary> {
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
