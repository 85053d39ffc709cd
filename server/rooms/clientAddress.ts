/**
 * The address a realtime connection comes from, worked out the way express works out `req.ip`
 * under the same TRUST_PROXY setting. Colyseus itself reads X-Real-IP and X-Forwarded-For from any
 * client without asking whether a proxy set them, so before it sees the upgrade request those
 * headers are replaced by the one answer worked out here: a client cannot pick its own address for
 * the per-address limits by writing a header.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyaddr from 'proxy-addr';

export type TrustProxy = boolean | number | readonly string[];

const FORWARDING = ['x-real-ip', 'x-client-ip', 'x-forwarded-for'] as const;

/** Compiles a TRUST_PROXY value into the test proxy-addr applies hop by hop. */
function compileTrust(trust: TrustProxy): (addr: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile([...trust]);
}

/** Returns a function that answers a request's client address and leaves only that for Colyseus to read. */
export function realtimeAddress(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted = compileTrust(trust);
  return (req) => {
    const address = req.socket.remoteAddress ? proxyaddr(req as Parameters<typeof proxyaddr>[0], trusted) : 'unknown';
    for (const name of FORWARDING) delete req.headers[name];
    req.headers['x-forwarded-for'] = address;
    return address;
  };
}

/**
 * The key a per-address limit counts under. One IPv6 host is usually handed a whole /64, so an
 * IPv6 address counts by its /64 prefix: otherwise a guest could take a fresh address for every
 * request and every connection. IPv4 (and IPv4-mapped IPv6) counts by the address itself.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}
