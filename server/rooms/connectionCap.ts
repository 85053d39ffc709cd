/**
 * How many realtime connections one address may hold open at once. Each open WebSocket costs the
 * server memory and a file descriptor whether or not it joins a world, so one machine must not be
 * able to open thousands. Counted on the address `addressOf` works out (the socket's own peer, or
 * what a trusted proxy says under TRUST_PROXY), never on a header a client wrote, so it cannot be
 * dodged by lying.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../log';
import { addressKey } from './clientAddress';

type Verdict = (ok: boolean, status?: number, reason?: string) => void;

/** A ws `verifyClient` hook that refuses an address's connection past `max` with 429 and the reason. */
export function connectionCap(max: number, log: Logger, addressOf: (req: IncomingMessage) => string = (req) => req.socket.remoteAddress ?? 'unknown'): (info: { req: IncomingMessage }, done: Verdict) => void {
  const open = new Map<string, number>();
  const warned = new Map<string, number>();
  return ({ req }, done) => {
    const socket = req.socket;
    const address = addressKey(addressOf(req));
    const count = open.get(address) ?? 0;
    if (count >= max) {
      // one line a minute per address, however hard it keeps trying
      const now = Date.now();
      if (now - (warned.get(address) ?? 0) >= 60_000) {
        warned.set(address, now);
        log.warn({ address, max }, 'refusing realtime connections past the per-address limit');
      }
      done(false, 429, `Too many connections from this address (at most ${max} at once). Close another tab or device, then try again.`);
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else {
        open.delete(address);
        warned.delete(address);
      }
    });
    done(true);
  };
}
