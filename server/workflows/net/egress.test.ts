import { describe, expect, it } from 'vitest';
import { EgressPolicy, EgressRefused, isPublicAddress, parseAllowList, type ResolvedAddress } from './egress';

/** A resolver with fixed answers, so names resolving to private addresses need no DNS server. */
const names: Record<string, ResolvedAddress[]> = {
  'example.com': [{ address: '93.184.215.14', family: 4 }],
  'intranet.example': [{ address: '10.1.2.3', family: 4 }],
  'mixed.example': [
    { address: '93.184.215.14', family: 4 },
    { address: '192.168.1.10', family: 4 },
  ],
  'metadata.example': [{ address: '169.254.169.254', family: 4 }],
  'v6.example': [{ address: 'fd12::1', family: 6 }],
  localhost: [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ],
};
const resolve = async (host: string) => {
  const found = names[host];
  if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return found;
};

const refused = (policy: EgressPolicy, url: string) =>
  policy.addressesFor(new URL(url)).then(
    () => false,
    (err: unknown) => err instanceof EgressRefused,
  );

describe('egress policy', () => {
  const policy = new EgressPolicy([], resolve);

  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0.0.0.0/',
    'http://0/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://172.31.255.255/',
    'http://192.168.0.1/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd00::abcd]/',
    'http://[ff02::1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://intranet.example/',
    'http://metadata.example/',
    'http://mixed.example/',
    'http://v6.example/',
    'http://unknown.example/',
    'ftp://example.com/',
  ])('refuses %s', async (url) => {
    expect(await refused(policy, url)).toBe(true);
  });

  it('lets public addresses and names through, answering the addresses to connect to', async () => {
    expect(await policy.addressesFor(new URL('https://example.com/hook'))).toEqual([{ address: '93.184.215.14', family: 4 }]);
    expect(await policy.addressesFor(new URL('http://8.8.8.8/'))).toEqual([{ address: '8.8.8.8', family: 4 }]);
    expect(await refused(policy, 'http://[2606:4700:4700::1111]/')).toBe(false);
    expect(await refused(policy, 'http://172.32.0.1/')).toBe(false);
  });

  it('classifies addresses', () => {
    expect(['1.1.1.1', '172.15.255.255', '100.128.0.1', '2a00:1450:4001::1', '::ffff:8.8.8.8'].map(isPublicAddress)).toEqual([true, true, true, true, true]);
    expect(['127.0.0.53', '::ffff:10.0.0.1', '::', '::ffff:0:7f00:1', 'not-an-ip'].map(isPublicAddress)).toEqual([false, false, false, false, false]);
  });

  it('opens hosts, host:port pairs and ranges named in the allow-list, and nothing else', async () => {
    const open = new EgressPolicy(parseAllowList('127.0.0.1:4000, intranet.example, 192.168.0.0/16, [::1]:9000'), resolve);
    expect(await refused(open, 'http://127.0.0.1:4000/')).toBe(false);
    expect(await refused(open, 'http://2130706433:4000/')).toBe(false);
    expect(await refused(open, 'http://127.0.0.1:4001/')).toBe(true);
    expect(await refused(open, 'http://127.0.0.1/')).toBe(true);
    expect(await refused(open, 'http://intranet.example:8080/')).toBe(false);
    expect(await refused(open, 'http://192.168.44.1/')).toBe(false);
    expect(await refused(open, 'http://mixed.example/')).toBe(false);
    expect(await refused(open, 'http://[::1]:9000/')).toBe(false);
    expect(await refused(open, 'http://[::1]:9001/')).toBe(true);
    expect(await refused(open, 'http://10.0.0.1/')).toBe(true);
    expect(await refused(open, 'http://metadata.example/')).toBe(true);
  });

  it('refuses an allow-list entry that is not a host, host:port or range', () => {
    expect(parseAllowList(' ')).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'nope/8', 'http://x/y', 'a b']) expect(() => parseAllowList(bad), bad).toThrow(/is not/);
  });
});
