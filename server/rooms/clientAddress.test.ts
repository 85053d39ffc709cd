import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, realtimeAddress } from './clientAddress';

const upgrade = (peer: string, headers: Record<string, string>) => ({ socket: { remoteAddress: peer }, headers: { ...headers } }) as unknown as IncomingMessage;
const lies = { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '198.51.100.9', 'x-client-ip': '192.0.2.1' };

describe('the address of a realtime connection', () => {
  it('is the socket peer when no proxy is trusted, and every forwarding header a client wrote is replaced by it', () => {
    const req = upgrade('127.0.0.1', lies);
    expect(realtimeAddress(false)(req)).toBe('127.0.0.1');
    expect(req.headers).toEqual({ 'x-forwarded-for': '127.0.0.1' });
  });

  it('is what a trusted proxy forwarded, as express reads it, and only from a proxy that is trusted', () => {
    const viaProxy = upgrade('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    expect(realtimeAddress(['loopback'])(viaProxy)).toBe('203.0.113.7');
    expect(viaProxy.headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(realtimeAddress(['loopback'])(upgrade('192.0.2.50', { 'x-forwarded-for': '203.0.113.7' }))).toBe('192.0.2.50');
    expect(realtimeAddress(1)(upgrade('10.0.0.2', { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }))).toBe('203.0.113.7');
    expect(realtimeAddress(true)(upgrade('10.0.0.2', { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }))).toBe('198.51.100.1');
  });

  it('counts an IPv6 client by its /64, so fresh addresses from one network share one allowance; IPv4 by itself', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('unknown')).toBe('unknown');
  });
});
