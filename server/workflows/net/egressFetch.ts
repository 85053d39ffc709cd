/**
 * A fetch for webhook steps that goes only where the egress policy allows. Each hop's host is
 * resolved once, every address checked, and the connection made to those checked addresses (a
 * custom `lookup`), so DNS rebinding between the check and the connection cannot redirect it.
 * Redirects are followed by hand, each target checked again: only 307 and 308, which keep the
 * method and body a webhook needs, at most MAX_REDIRECTS of them; any other answer is returned.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { EgressRefused, type EgressPolicy, type ResolvedAddress } from './egress';

const MAX_REDIRECTS = 5;
/** The most of an answer kept; a webhook shows only a short excerpt of it anyway. */
const MAX_BODY_BYTES = 16 * 1024;
/** Headers that go along when a redirect leads to another origin; the caller's own (tokens) do not. */
const CROSS_ORIGIN_HEADERS = new Set(['content-type', 'idempotency-key']);

/** Resolves to exactly the addresses that were checked. */
function pinned(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' && options ? options.family : undefined;
    const usable = addresses.filter((a) => !family || a.family === family);
    if (!usable.length) return callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }), '', 0);
    if (typeof options === 'object' && options?.all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, usable);
    callback(null, usable[0]!.address, usable[0]!.family);
  };
}

interface Hop {
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  signal: AbortSignal | undefined;
}

function send(url: URL, hop: Hop, addresses: ResolvedAddress[]): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: hop.method, headers: hop.headers, signal: hop.signal, lookup: pinned(addresses), agent: false }, resolve);
    req.on('error', reject);
    req.end(hop.body);
  });
}

async function readCapped(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_BODY_BYTES) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES);
}

function toResponse(res: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // a header value fetch would not accept is dropped, not fatal
      }
    }
  }
  const code = res.statusCode ?? 502;
  const status = code >= 200 && code <= 599 ? code : 502;
  const empty = status === 204 || status === 205 || status === 304;
  return new Response(empty ? null : new Uint8Array(body), { status, headers });
}

function lowerCased(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

/** A fetch (string or URL input, string or Buffer body) confined to what `policy` allows. */
export function egressFetch(policy: EgressPolicy): typeof fetch {
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('egressFetch takes a URL, not a Request');
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string' && !Buffer.isBuffer(init.body)) {
      throw new TypeError('egressFetch sends string or Buffer bodies only');
    }
    let url = new URL(input);
    const hop: Hop = { method: (init.method ?? 'GET').toUpperCase(), headers: lowerCased(init.headers), body: init.body ?? undefined, signal: init.signal ?? undefined };
    for (let redirects = 0; ; redirects++) {
      const res = await send(url, hop, await policy.addressesFor(url));
      const location = res.headers.location;
      if ((res.statusCode !== 307 && res.statusCode !== 308) || !location) return toResponse(res, await readCapped(res));
      res.destroy();
      if (redirects >= MAX_REDIRECTS) throw new EgressRefused(`More than ${MAX_REDIRECTS} redirects from ${url.host}`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) hop.headers = Object.fromEntries(Object.entries(hop.headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name)));
      url = next;
    }
  };
  return guarded as typeof fetch;
}
