/** What the baseline servers share: the probe endpoint and the line the orchestrator waits for. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BenchProbe } from '../../../server/bench/probe';

export const TICK_MS = Number(process.env.TICK_MS ?? 50);
export const probe = new BenchProbe();

/** An HTTP server answering GET /probe; anything else goes to `other` or gets 404. */
export function probeServer(other?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/probe') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(probe.read()));
      return;
    }
    if (other) return other(req, res);
    res.statusCode = 404;
    res.end();
  });
}

/** Prints the line the orchestrator reads the port from. */
export function announce(server: Server): void {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
}
