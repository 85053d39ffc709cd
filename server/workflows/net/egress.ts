/**
 * Where the server may send requests on behalf of a workflow (webhooks). Whoever edits a workflow
 * chooses the URL, so without a policy a webhook could reach the server's own loopback services,
 * the private network or a cloud metadata address and bring the answer back in the run's output.
 *
 * The policy is applied to the addresses a host name resolves to (every one of them), not to how
 * the URL spells the host: 2130706433, 127.1 and 0x7f.1 are all 127.0.0.1. Operators open specific
 * destinations with an allow-list of hosts, host:port pairs or CIDR ranges (WEBHOOK_ALLOW).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type AllowRule = { kind: 'host'; host: string; port?: number } | { kind: 'cidr'; network: string; prefix: number; family: 'ipv4' | 'ipv6' };

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** Loopback, private, link-local, shared, documentation, multicast and reserved ranges. */
const NOT_PUBLIC: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  // unspecified, loopback and IPv4-compatible; IPv4-mapped addresses are checked against the IPv4 ranges
  ['::', 96, 'ipv6'],
  // IPv4-translated (SIIT): another spelling of an IPv4 address
  ['::ffff:0:0:0', 96, 'ipv6'],
  // prefixes that carry an IPv4 address inside (NAT64, 6to4, Teredo): a public host is reachable by its own address
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const BLOCKED = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) BLOCKED.addSubnet(network, prefix, family);

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Whether an IP address is on the public internet (false for anything that is not an IP address). */
export function isPublicAddress(address: string): boolean {
  if (!isIP(address)) return false;
  return !BLOCKED.check(address, familyOf(address));
}

/** A URL's host as an address or a name: no brackets, no trailing dot, lower case. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** Parses a comma-separated allow-list; throws an Error naming the first entry that is not valid. */
export function parseAllowList(text: string): AllowRule[] {
  const rules: AllowRule[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const network = entry.slice(0, slash);
      const prefix = Number(entry.slice(slash + 1));
      const version = isIP(network);
      if (!version || !Number.isInteger(prefix) || prefix < 0 || prefix > (version === 4 ? 32 : 128)) {
        throw new Error(`"${entry}" is not a CIDR range (like 10.1.0.0/16 or fd00::/8)`);
      }
      rules.push({ kind: 'cidr', network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' });
      continue;
    }
    let url: URL;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      throw new Error(`"${entry}" is not a host, host:port or CIDR range`);
    }
    if (url.pathname !== '/' || url.username || url.search || !url.hostname) throw new Error(`"${entry}" is not a host, host:port or CIDR range`);
    rules.push({ kind: 'host', host: bareHost(url.hostname), port: url.port ? Number(url.port) : undefined });
  }
  return rules;
}

/** Why a destination was refused; the message names the host, never what it answered. */
export class EgressRefused extends Error {
  override name = 'EgressRefused';
}

const defaultResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })) as ResolvedAddress[];

export class EgressPolicy {
  private readonly allowedRanges = new BlockList();
  private readonly allowedHosts: Array<{ host: string; port?: number }>;

  constructor(
    rules: readonly AllowRule[] = [],
    private readonly resolve: Resolver = defaultResolver,
  ) {
    for (const r of rules) if (r.kind === 'cidr') this.allowedRanges.addSubnet(r.network, r.prefix, r.family);
    this.allowedHosts = rules.filter((r): r is Extract<AllowRule, { kind: 'host' }> => r.kind === 'host');
  }

  /**
   * The addresses a request to `url` may connect to: all that its host resolves to, each one
   * public or allowed. Throws EgressRefused otherwise. Connect only to what this returns, so a
   * name that resolves differently a moment later cannot slip past the check.
   */
  async addressesFor(url: URL): Promise<ResolvedAddress[]> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressRefused(`Only http and https URLs may be called, not ${url.protocol}`);
    const host = bareHost(url.hostname);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const version = isIP(host);
    let addresses: ResolvedAddress[];
    if (version) addresses = [{ address: host, family: version as 4 | 6 }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch (err) {
        throw new EgressRefused(`Could not resolve ${host} (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}): check the host name in the webhook's URL.`);
      }
      if (!addresses.length) throw new EgressRefused(`${host} resolves to no address: check the host name in the webhook's URL.`);
    }
    // a rule naming the host opens whatever it resolves to; a rule naming an address opens that address
    const named = (name: string) => this.allowedHosts.some((h) => h.host === name && (h.port === undefined || h.port === port));
    if (named(host)) return addresses;
    const refused = addresses.find((a) => !isPublicAddress(a.address) && !named(a.address) && !this.allowedRanges.check(a.address, familyOf(a.address)));
    if (refused) {
      const via = refused.address === host ? '' : ` (it resolves to ${refused.address})`;
      throw new EgressRefused(`${host}${via} is not a public address; an operator can allow it with WEBHOOK_ALLOW`);
    }
    return addresses;
  }
}
