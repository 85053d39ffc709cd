/**
 * Reads MQTT's fixed headers as bytes stream past and ends a connection whose packet claims more
 * than `max` bytes, before the broker's parser would wait to buffer all of it (up to 256 MB, before
 * the sender has even signed in). Bytes pass through untouched otherwise.
 */
import { Duplex, Transform, type TransformCallback } from 'node:stream';
import type { Socket } from 'node:net';

/** The largest packet a device needs: a 4 KB reading, its topic and headroom. */
export const MAX_PACKET_BYTES = 16 * 1024;

export class PacketScanner {
  /** Bytes of the current packet's body still to pass; -1 while reading a header. */
  private body = -1;
  private length = 0;
  private shift = 0;
  private sawType = false;

  constructor(private readonly max: number) {}

  /** False once a packet claims more than `max` bytes, or its length is malformed. */
  scan(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.body > 0) {
        const skip = Math.min(this.body, chunk.length - i);
        this.body -= skip;
        i += skip;
        continue;
      }
      if (this.body === 0) this.reset();
      const byte = chunk[i++]!;
      if (!this.sawType) {
        this.sawType = true;
        continue;
      }
      this.length += (byte & 0x7f) * 2 ** this.shift;
      this.shift += 7;
      if (this.length > this.max || this.shift > 28) return false;
      if ((byte & 0x80) === 0) this.body = this.length;
    }
    if (this.body === 0) this.reset();
    return true;
  }

  private reset(): void {
    this.body = -1;
    this.length = 0;
    this.shift = 0;
    this.sawType = false;
  }
}

/** The socket as the broker should see it: its reads pass the scanner first. */
export function guarded(socket: Socket, max = MAX_PACKET_BYTES): Duplex {
  const scanner = new PacketScanner(max);
  const reads = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (scanner.scan(chunk)) return done(null, chunk);
      socket.destroy();
      done(new Error(`an MQTT packet over ${max} bytes`));
    },
  });
  socket.pipe(reads);
  return Duplex.from({ readable: reads, writable: socket });
}
