/**
 * The signed-in account of this browser, if any: its tokens are kept in localStorage so a reload
 * stays signed in, the access token is renewed with the refresh token before it lapses, and every
 * request and world join carries it. Without an account the page works as a guest, where allowed.
 */
import { serverUrl } from './endpoint';

const KEY = 'dwc.account';
/** Renew this long before the access token expires, so a request never goes out with a lapsed one. */
const RENEW_BEFORE_MS = 60_000;

export interface Account {
  username: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token lapses, ms since the epoch. */
  expiresAt: number;
}

/** A sign-in or sign-up the server refused, with its message for the person. */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface SessionReply {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; username: string };
}

const listeners = new Set<(a: Account | null) => void>();
let renewing: Promise<Account | null> | null = null;

export function currentAccount(): Account | null {
  try {
    const raw = localStorage.getItem(KEY);
    const a = raw ? (JSON.parse(raw) as Account) : null;
    return a && typeof a.accessToken === 'string' && typeof a.refreshToken === 'string' ? a : null;
  } catch {
    return null;
  }
}

function save(a: Account | null): void {
  try {
    if (a) localStorage.setItem(KEY, JSON.stringify(a));
    else localStorage.removeItem(KEY);
  } catch {
    // storage refused (private mode): the account lasts as long as the page
  }
  for (const l of listeners) l(a);
}

/** Called whenever this browser signs in or out. */
export function onAccountChange(listener: (a: Account | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function post(path: string, body: unknown): Promise<SessionReply> {
  let res: Response;
  try {
    res = await fetch(`${serverUrl()}/api/v3/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new AccountError('NETWORK', 'Cannot reach the server. Check that it is running and that you are online.');
  }
  const json = (await res.json().catch(() => null)) as (SessionReply & { error?: { code: string; message: string } }) | null;
  if (!res.ok || !json) throw new AccountError(json?.error?.code ?? 'HTTP', json?.error?.message ?? `The server answered ${res.status}.`);
  return json;
}

function keep(reply: SessionReply): Account {
  const account: Account = { username: reply.user.username, userId: reply.user.id, accessToken: reply.accessToken, refreshToken: reply.refreshToken, expiresAt: Date.now() + reply.expiresIn * 1000 };
  save(account);
  return account;
}

export async function signIn(username: string, password: string, totp?: string): Promise<Account> {
  return keep(await post('signin', totp ? { username, password, totp } : { username, password }));
}

export async function signUp(username: string, password: string): Promise<Account> {
  return keep(await post('signup', { username, password }));
}

export async function signOut(): Promise<void> {
  const a = currentAccount();
  save(null);
  if (a) await post('signout', { refreshToken: a.refreshToken }).catch(() => undefined);
}

/** The account with an access token good for at least a minute, renewing it if needed; null when signed out. */
export function freshAccount(): Promise<Account | null> {
  const a = currentAccount();
  if (!a || a.expiresAt - Date.now() > RENEW_BEFORE_MS) return Promise.resolve(a);
  // one renewal at a time: a refresh token works once, a second use would end the sign-in
  renewing ??= post('refresh', { refreshToken: a.refreshToken })
    .then(keep, (err: unknown) => {
      // a refused refresh means this sign-in is over; a network failure leaves it for next time
      if (err instanceof AccountError && err.code !== 'NETWORK') save(null);
      return err instanceof AccountError && err.code === 'NETWORK' ? a : null;
    })
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

/** The Authorization header for requests, fresh; empty when signed out. */
export async function authHeaders(): Promise<Record<string, string>> {
  const a = await freshAccount();
  return a ? { authorization: `Bearer ${a.accessToken}` } : {};
}

/** The same header without waiting, for requests that cannot (an upload started from a drop). */
export function authHeadersNow(): Record<string, string> {
  const a = currentAccount();
  return a ? { authorization: `Bearer ${a.accessToken}` } : {};
}
