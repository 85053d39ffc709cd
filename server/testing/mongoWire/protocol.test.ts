import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { crc32c, encodeMsg, encodeMsgRequest, encodeReply, FrameReader, MAX_MESSAGE_BYTES, OP, parseFrame, readHeader, WireError } from './protocol';

function opQuery(collection: string, query: object, requestId = 7): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${collection}\0`), Buffer.alloc(8), Buffer.from(BSON.serialize(query))]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP.query, 12);
  return Buffer.concat([header, body]);
}

describe('mongo wire framing', () => {
  it('cuts frames that arrive split across chunks, and several in one chunk', () => {
    const a = encodeMsgRequest({ ping: 1, $db: 'admin' }, 1);
    const b = encodeMsgRequest({ ping: 1, $db: 'x' }, 2);
    const reader = new FrameReader();
    const joined = Buffer.concat([a, b]);
    const frames: Buffer[] = [];
    // one byte at a time: the length itself arrives in pieces
    for (let i = 0; i < a.length + 3; i++) frames.push(...reader.push(joined.subarray(i, i + 1)));
    expect(frames).toHaveLength(1);
    frames.push(...reader.push(joined.subarray(a.length + 3)));
    expect(frames.map((f) => readHeader(f).requestId)).toEqual([1, 2]);
    expect(Buffer.concat(frames).equals(joined)).toBe(true);
  });

  it('refuses a frame longer than the message limit or shorter than a header, before reading it', () => {
    const huge = Buffer.alloc(4);
    huge.writeInt32LE(MAX_MESSAGE_BYTES + 1, 0);
    expect(() => new FrameReader().push(huge)).toThrow(WireError);
    const tiny = Buffer.alloc(4);
    tiny.writeInt32LE(15, 0);
    expect(() => new FrameReader().push(tiny)).toThrow(WireError);
    const negative = Buffer.alloc(4);
    negative.writeInt32LE(-1, 0);
    expect(() => new FrameReader().push(negative)).toThrow(WireError);
  });

  it('folds kind-1 document sequences into the body under their identifier', () => {
    const frame = encodeMsgRequest({ insert: 'c', $db: 'd' }, 3, { documents: [{ _id: 1 }, { _id: 2, b: Buffer.from([0, 255]) }] });
    const req = parseFrame(frame);
    expect(req.kind).toBe('msg');
    if (req.kind !== 'msg') return;
    expect(req.header.requestId).toBe(3);
    expect(req.moreToCome).toBe(false);
    expect(req.body.insert).toBe('c');
    expect(req.body.documents).toHaveLength(2);
    expect(Buffer.from((req.body.documents as Array<{ b: { buffer: Uint8Array } }>)[1]!.b.buffer)).toEqual(Buffer.from([0, 255]));
  });

  it('checks the CRC-32C checksum when the flag says one is present', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const good = encodeMsgRequest({ ping: 1, $db: 'admin' }, 4, {}, 1);
    expect(parseFrame(good).kind).toBe('msg');
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 0xff;
    expect(() => parseFrame(bad)).toThrow(/checksum/);
  });

  it('reads moreToCome and refuses unknown required flag bits', () => {
    const quiet = parseFrame(encodeMsgRequest({ insert: 'c', $db: 'd' }, 5, {}, 2));
    expect(quiet.kind === 'msg' && quiet.moreToCome).toBe(true);
    expect(() => parseFrame(encodeMsgRequest({ ping: 1, $db: 'd' }, 5, {}, 1 << 4))).toThrow(/flag/);
    // exhaustAllowed is an optional bit
    expect(parseFrame(encodeMsgRequest({ ping: 1, $db: 'd' }, 5, {}, 1 << 16)).kind).toBe('msg');
  });

  it('refuses malformed messages: no body, two bodies, a bad section kind, a lying document size, compression', () => {
    const body = Buffer.from(BSON.serialize({ ping: 1 }));
    const frame = (...parts: Buffer[]) => {
      const f = Buffer.concat([Buffer.alloc(16), Buffer.alloc(4), ...parts]);
      f.writeInt32LE(f.length, 0);
      f.writeInt32LE(OP.msg, 12);
      return f;
    };
    expect(() => parseFrame(frame())).toThrow(WireError);
    expect(() => parseFrame(frame(Buffer.from([0]), body, Buffer.from([0]), body))).toThrow(/two body/);
    expect(() => parseFrame(frame(Buffer.from([7]), body))).toThrow(/section kind/);
    const lying = Buffer.from(body);
    lying.writeInt32LE(body.length + 100, 0);
    expect(() => parseFrame(frame(Buffer.from([0]), lying))).toThrow(/document size/);
    const garbage = Buffer.from(body);
    garbage[4] = 0x7f; // not a BSON type
    expect(() => parseFrame(frame(Buffer.from([0]), garbage))).toThrow(WireError);
    const compressed = frame(Buffer.from([0]), body);
    compressed.writeInt32LE(OP.compressed, 12);
    expect(() => parseFrame(compressed)).toThrow(/opcode/);
  });

  it('parses a legacy OP_QUERY handshake, unwrapping $query', () => {
    const req = parseFrame(opQuery('admin.$cmd', { $query: { isMaster: 1, helloOk: true } }));
    expect(req).toMatchObject({ kind: 'query', collection: 'admin.$cmd', query: { isMaster: 1, helloOk: true } });
  });

  it('encodes OP_MSG and OP_REPLY answers that point at the request', () => {
    const msg = encodeMsg({ ok: 1 }, 42, 9);
    expect(readHeader(msg)).toEqual({ length: msg.length, requestId: 9, responseTo: 42, opCode: OP.msg });
    expect(msg.readUInt32LE(16)).toBe(0);
    expect(BSON.deserialize(msg.subarray(21))).toEqual({ ok: 1 });
    const reply = encodeReply({ ok: 1 }, 43, 10);
    expect(readHeader(reply)).toEqual({ length: reply.length, requestId: 10, responseTo: 43, opCode: OP.reply });
    expect(reply.readInt32LE(32)).toBe(1);
    expect(BSON.deserialize(reply.subarray(36))).toEqual({ ok: 1 });
  });
});
