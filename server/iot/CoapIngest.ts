/**
 * CoAP for constrained devices: `POST coap://<server>:5683/dwc/<device id>/telemetry?key=<device key>`
 * (JSON) or `…/telemetry/bin` (the binary form), answered 2.04 once stored, or with the error class
 * and a diagnostic saying why. The same checks as HTTP and MQTT (IotService.ingest). Plain CoAP
 * carries the key in the clear, so it is for devices on a network one trusts, and off by default.
 *
 * Datagrams are judged before the CoAP library sees them: one over the size a reading may be, one
 * that is not a CoAP message, or one starting a block-wise transfer (which the library would gather
 * and reassemble, sized as the sender claims) is dropped unanswered. A wrong path is answered with
 * no text, so a spoofed datagram is never answered with more bytes than it carried.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type OutgoingMessage, type Server } from 'coap';
import { parse as parsePacket } from 'coap-packet';
import { MAX_TELEMETRY_BYTES } from '../../shared/model/iot';
import type { Logger } from '../log';
import { AppError } from '../errors';

export interface CoapIngestOptions {
  host: string;
  port: number;
  ingest(deviceId: string, key: string | undefined, body: Buffer, binary: boolean): Promise<unknown>;
  log: Logger;
}

const PATH = /^\/dwc\/([A-Za-z0-9_-]{1,80})\/telemetry(\/bin)?$/;
/** A reading's payload, and room for its header, token and options. */
const MAX_DATAGRAM = MAX_TELEMETRY_BYTES + 512;

/** Whether a datagram may reach the CoAP library: small enough, CoAP, and no block-wise transfer. */
export function acceptable(datagram: Buffer): boolean {
  if (!Buffer.isBuffer(datagram) || datagram.length > MAX_DATAGRAM) return false;
  try {
    return !parsePacket(datagram).options.some((o) => o.name === 'Block1' || o.name === 'Block2' || o.name === 27 || o.name === 23);
  } catch {
    return false;
  }
}

/** An HTTP status as the CoAP response code of the same meaning. */
function codeOf(status: number): string {
  if (status === 401) return '4.01';
  if (status === 403) return '4.03';
  if (status === 404) return '4.04';
  if (status === 413) return '4.13';
  if (status === 415) return '4.15';
  if (status === 429) return '4.29';
  return status >= 500 ? '5.00' : '4.00';
}

export class CoapIngest {
  private socket: Socket | null = null;
  private server: Server | null = null;

  constructor(private readonly o: CoapIngestOptions) {}

  async start(): Promise<void> {
    const socket = createSocket(this.o.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(`CoAP cannot listen on UDP port ${this.o.port}: something else uses it. Set COAP_PORT to another port (0 for any free one) or off.`) : err));
      socket.bind(this.o.port, this.o.host, () => resolve());
    });
    // the library listens for 'message' on the socket it is given: only datagrams judged fit reach it
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...args: unknown[]) => (event === 'message' && !acceptable(args[0] as Buffer) ? false : emit(event, ...args))) as typeof socket.emit;
    this.socket = socket;
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.listen(socket);
  }

  port(): number | null {
    return this.socket ? this.socket.address().port : null;
  }

  private handle(req: IncomingMessage, res: OutgoingMessage): void {
    const url = new URL(`coap://device${req.url}`);
    const match = PATH.exec(url.pathname);
    const answer = (code: string, text?: string) => {
      res.code = code;
      res.end(text);
    };
    if (!match) return answer('4.04');
    if (req.method !== 'POST') return answer('4.05', 'Readings are POSTed.');
    this.o.ingest(match[1]!, url.searchParams.get('key') ?? undefined, req.payload, match[2] !== undefined).then(
      () => answer('2.04'),
      (err: unknown) => {
        if (err instanceof AppError) return answer(codeOf(err.status), err.message.slice(0, 200));
        this.o.log.error({ err }, 'a CoAP reading could not be handled');
        answer('5.00', 'The server could not store the reading; it has been logged.');
      },
    );
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.socket = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
