/**
 * The proxy a site runs behind, as deploy/nginx.conf sets it up, small enough for tests: `/` goes
 * round robin over every process (the page, REST, matchmaking), `/p<n>/…` goes to process n with
 * the prefix taken off (each process's PUBLIC_ADDRESS is `<proxy>/p<n>`, so a room's socket reaches
 * the process hosting it), WebSocket upgrades included, the client's address added to
 * X-Forwarded-For. A process that refuses the connection is skipped for `/`.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface SiteProxy {
  url: string;
  port: number;
  /** The PUBLIC_ADDRESS of process `n` (1-based) behind this proxy. */
  publicAddress(n: number): string;
  close(): Promise<void>;
}

/** Where a request goes: the target's port and the path it is asked for there; null for a prefix of no process. */
function route(url: string, ports: readonly number[], turn: number): { port: number; path: string } | null {
  const m = /^\/p(\d+)(\/.*)?$/.exec(url.split('?')[0]!);
  if (!m) return { port: ports[turn % ports.length]!, path: url };
  const port = ports[Number(m[1]) - 1];
  return port === undefined ? null : { port, path: url.slice(`/p${m[1]}`.length) || '/' };
}

function forwardedFor(req: IncomingMessage): string {
  const client = req.socket.remoteAddress ?? '';
  const before = req.headers['x-forwarded-for'];
  return before ? `${String(before)}, ${client}` : client;
}

/** `ports`: each process's port, in order (process n is `ports[n - 1]`); read at each request, so a slot may be given a new process. */
export async function startSiteProxy(ports: readonly number[], port = 0): Promise<SiteProxy> {
  let turn = 0;
  const tunnels = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const first = turn++;
    const attempt = (tries: number): void => {
      const target = route(req.url ?? '/', ports, first + tries);
      if (!target) {
        res.writeHead(404).end('no such process');
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: target.path, headers: { ...req.headers, 'x-forwarded-for': forwardedFor(req) } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        // a process that is gone: `/` tries the next one (a body already sent cannot be sent again)
        if (err.code === 'ECONNREFUSED' && !/^\/p\d/.test(req.url ?? '') && tries < ports.length - 1 && !req.readableEnded) return attempt(tries + 1);
        if (!res.headersSent) res.writeHead(502).end('bad gateway');
        else res.destroy();
      });
      req.pipe(upstream);
    };
    attempt(0);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = route(req.url ?? '/', ports, turn);
    if (!target) return socket.destroy();
    const upstream = connect(target.port, '127.0.0.1', () => {
      const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req) };
      const lines = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : v === undefined ? [] : [`${k}: ${v}`]));
      upstream.write(`${req.method} ${target.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    tunnels.add(socket);
    const end = () => {
      tunnels.delete(socket);
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    upstream.on('close', end);
    socket.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    publicAddress: (n) => `127.0.0.1:${bound}/p${n}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of tunnels) t.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
