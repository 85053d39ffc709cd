/**
 * MongoDB wire protocol framing for the stand-in: the 16-byte header, OP_MSG (2013) in and out,
 * and the legacy OP_QUERY (2004) / OP_REPLY (1) pair that older handshakes use. Pure functions on
 * buffers; anything malformed throws a `WireError`, on which the connection is closed.
 */
import { BSON, type Document } from 'mongodb';

export const OP = { reply: 1, query: 2004, compressed: 2012, msg: 2013 } as const;

/** What the stand-in advertises as maxMessageSizeBytes; a frame over it, or under a header, ends the connection. */
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;
const HEADER_BYTES = 16;

const FLAG = { checksumPresent: 1 << 0, moreToCome: 1 << 1, exhaustAllowed: 1 << 16 } as const;
// bits 0-15 are "required": a receiver must refuse a message with one it does not know
const KNOWN_REQUIRED = FLAG.checksumPresent | FLAG.moreToCome;

export class WireError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A parsed OP_MSG: its body with each kind-1 document sequence folded in under its identifier. */
export interface MsgRequest {
  kind: 'msg';
  header: Header;
  /** Set when the client wants no reply (unacknowledged writes). */
  moreToCome: boolean;
  body: Document;
}

export interface QueryRequest {
  kind: 'query';
  header: Header;
  /** e.g. `admin.$cmd` */
  collection: string;
  query: Document;
}

export type Request = MsgRequest | QueryRequest;

export function readHeader(buf: Buffer): Header {
  if (buf.length < HEADER_BYTES) throw new WireError('short header');
  return { length: buf.readInt32LE(0), requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
}

/** The length a frame declares, checked against the limits; throws when it is out of bounds. */
export function frameLength(buf: Buffer): number {
  const length = buf.readInt32LE(0);
  if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) throw new WireError(`frame length ${length} out of bounds`);
  return length;
}

/**
 * Collects what arrives on a connection and hands back whole frames. The declared length is checked
 * as soon as its 4 bytes are in, so nothing more than one frame's worth is ever held.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  /** Throws a WireError on a length out of bounds; the connection should then be closed. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const frames: Buffer[] = [];
    // each pass takes one frame of at least a header's length off the front, so the loop ends
    while (this.size >= 4) {
      if (this.chunks[0]!.length < 4) this.flatten();
      const length = frameLength(this.chunks[0]!);
      if (this.size < length) break;
      const all = this.flatten();
      frames.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.size = rest.length;
    }
    return frames;
  }

  private flatten(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [all];
    return all;
  }
}

function readDocument(buf: Buffer, at: number, end: number): { doc: Document; next: number } {
  if (end - at < 5) throw new WireError('truncated document');
  const size = buf.readInt32LE(at);
  if (size < 5 || size > end - at || size > MAX_BSON_OBJECT_BYTES + 16 * 1024) throw new WireError(`bad document size ${size}`);
  try {
    return { doc: BSON.deserialize(buf.subarray(at, at + size), { validation: { utf8: true } }), next: at + size };
  } catch (err) {
    throw new WireError(`undecodable document: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, at: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, at);
  if (zero < 0 || zero >= end) throw new WireError('unterminated string');
  return { value: buf.toString('utf8', at, zero), next: zero + 1 };
}

/** Parses one whole frame (as cut by `FrameReader`). */
export function parseFrame(frame: Buffer): Request {
  const header = readHeader(frame);
  if (header.length !== frame.length) throw new WireError('frame length mismatch');
  if (header.opCode === OP.msg) return parseMsg(frame, header);
  if (header.opCode === OP.query) return parseQuery(frame, header);
  // OP_COMPRESSED included: no compressor is advertised, so none may be used
  throw new WireError(`unsupported opcode ${header.opCode}`);
}

function parseMsg(frame: Buffer, header: Header): MsgRequest {
  if (frame.length < HEADER_BYTES + 4 + 1) throw new WireError('short OP_MSG');
  const flags = frame.readUInt32LE(HEADER_BYTES);
  if (flags & 0xffff & ~KNOWN_REQUIRED) throw new WireError(`unknown required flag bits ${flags.toString(16)}`);
  let end = frame.length;
  if (flags & FLAG.checksumPresent) {
    end -= 4;
    if (end < HEADER_BYTES + 5) throw new WireError('short OP_MSG with checksum');
    if (crc32c(frame.subarray(0, end)) !== frame.readUInt32LE(end)) throw new WireError('checksum mismatch');
  }
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  let at = HEADER_BYTES + 4;
  while (at < end) {
    const kind = frame[at]!;
    at += 1;
    if (kind === 0) {
      if (body) throw new WireError('two body sections');
      const read = readDocument(frame, at, end);
      body = read.doc;
      at = read.next;
    } else if (kind === 1) {
      if (end - at < 4) throw new WireError('truncated sequence');
      const size = frame.readInt32LE(at);
      if (size < 5 || size > end - at) throw new WireError(`bad sequence size ${size}`);
      const stop = at + size;
      const id = readCString(frame, at + 4, stop);
      const docs: Document[] = [];
      let p = id.next;
      while (p < stop) {
        const read = readDocument(frame, p, stop);
        docs.push(read.doc);
        p = read.next;
      }
      sequences.push([id.value, docs]);
      at = stop;
    } else {
      throw new WireError(`unknown section kind ${kind}`);
    }
  }
  if (!body) throw new WireError('OP_MSG without a body');
  for (const [name, docs] of sequences) {
    if (name in body) throw new WireError(`sequence ${name} repeats a body field`);
    body[name] = docs;
  }
  return { kind: 'msg', header, moreToCome: (flags & FLAG.moreToCome) !== 0, body };
}

function parseQuery(frame: Buffer, header: Header): QueryRequest {
  let at = HEADER_BYTES + 4; // flags, ignored
  const name = readCString(frame, at, frame.length);
  at = name.next + 8; // numberToSkip, numberToReturn
  const read = readDocument(frame, at, frame.length);
  // a legacy command may come wrapped as { $query: {...}, $readPreference }
  const query = read.doc.$query && typeof read.doc.$query === 'object' ? (read.doc.$query as Document) : read.doc;
  return { kind: 'query', header, collection: name.value, query };
}

function withHeader(opCode: number, responseTo: number, requestId: number, payload: Buffer[]): Buffer {
  const length = HEADER_BYTES + payload.reduce((n, b) => n + b.length, 0);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, ...payload]);
}

/** An OP_MSG reply: flag bits 0 and one body section. */
export function encodeMsg(doc: Document, responseTo: number, requestId: number): Buffer {
  const flags = Buffer.alloc(5); // flagBits 0, then section kind 0
  return withHeader(OP.msg, responseTo, requestId, [flags, Buffer.from(BSON.serialize(doc))]);
}

/** An OP_REPLY with one document, the answer to a legacy OP_QUERY. */
export function encodeReply(doc: Document, responseTo: number, requestId: number, queryFailure = false): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(queryFailure ? 2 : 0, 0); // responseFlags: bit 1 is QueryFailure
  // cursorID (8 bytes) 0, startingFrom 0
  fixed.writeInt32LE(1, 16); // numberReturned
  return withHeader(OP.reply, responseTo, requestId, [fixed, Buffer.from(BSON.serialize(doc))]);
}

/** An OP_MSG request as a driver would send it, for tests: body, then each sequence as kind 1. */
export function encodeMsgRequest(body: Document, requestId: number, sequences: Record<string, Document[]> = {}, flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  parts[0]!.writeUInt32LE(flags >>> 0, 0);
  for (const [name, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${name}\0`, 'utf8'), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  let msg = withHeader(OP.msg, 0, requestId, parts);
  if (flags & FLAG.checksumPresent) {
    msg = withHeader(OP.msg, 0, requestId, [...parts, Buffer.alloc(4)]);
    msg.writeUInt32LE(crc32c(msg.subarray(0, msg.length - 4)), msg.length - 4);
  }
  return msg;
}

let crcTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), the checksum OP_MSG carries when flag bit 0 is set. */
export function crc32c(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of buf) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
