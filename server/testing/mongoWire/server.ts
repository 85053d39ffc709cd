/**
 * A MongoDB stand-in that speaks the wire protocol over TCP, in memory, for tests where no MongoDB
 * server can run. The official driver connects to it with a plain `mongodb://127.0.0.1:PORT/db`
 * URI as to a standalone server.
 *
 * What it is: the commands our storage adapters and GridFS send (CRUD, cursors, aggregate,
 * distinct, count, indexes with unique ones enforced), with MongoDB's replies and error codes.
 * What it is not: a database. Nothing is journaled or kept on disk, there is no replication and so
 * no transactions (refused, as a standalone server refuses them), no authentication, no
 * compression, and non-unique indexes only list themselves (TTL indexes expire nothing).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { MongoEngine } from './commands';
import { encodeMsg, encodeReply, FrameReader, parseFrame, type Request } from './protocol';

export interface MongoWire {
  /** `mongodb://host:port/` — add a database name to it. */
  uri: string;
  port: number;
  close(): Promise<void>;
}

export interface MongoWireOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  /** Told of every command name the stand-in does not know (useful while extending it). */
  onUnknownCommand?: (name: string) => void;
}

// the only commands a server still takes over legacy OP_QUERY
const HANDSHAKE = new Set(['hello', 'isMaster', 'ismaster']);

export async function startMongoWire(options: MongoWireOptions = {}): Promise<MongoWire> {
  const engine = new MongoEngine(options.onUnknownCommand);
  const sockets = new Set<Socket>();
  let connections = 0;
  let replies = 0;

  const answer = (request: Request, connectionId: number): Buffer | undefined => {
    const requestId = ++replies & 0x7fffffff;
    if (request.kind === 'msg') {
      const reply = engine.run(request.body, request.body.$db, connectionId);
      return request.moreToCome ? undefined : encodeMsg(reply, request.header.requestId, requestId);
    }
    if (!request.collection.endsWith('.$cmd')) {
      return encodeReply({ $err: 'OP_QUERY is no longer supported for queries', code: 5739101, ok: 0 }, request.header.requestId, requestId, true);
    }
    const name = Object.keys(request.query)[0] ?? '';
    const reply = HANDSHAKE.has(name)
      ? engine.run(request.query, request.collection.slice(0, -'.$cmd'.length), connectionId)
      : { ok: 0, errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`, code: 352, codeName: 'UnsupportedOpQueryCommand' };
    return encodeReply(reply, request.header.requestId, requestId);
  };

  const server = createServer((socket) => {
    const connectionId = ++connections;
    const reader = new FrameReader();
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) {
          const reply = answer(parseFrame(frame), connectionId);
          // a client that sends without reading its replies is not read from until it catches up
          if (reply && !socket.write(reply) && !socket.isPaused()) {
            socket.pause();
            socket.once('drain', () => socket.resume());
          }
        }
      } catch {
        // a malformed message ends this connection only
        socket.destroy();
      }
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    uri: `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
