import { describe, expect, it } from 'vitest';
import { PacketScanner } from './packetGuard';

/** A packet of `type` with a body of `n` bytes, its remaining length as MQTT encodes it. */
function packet(n: number, type = 0x30): Uint8Array {
  const len: number[] = [];
  let x = n;
  do {
    let byte = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) byte |= 0x80;
    len.push(byte);
  } while (x > 0);
  return Uint8Array.from([type, ...len, ...new Array<number>(n).fill(7)]);
}

describe('the MQTT packet guard', () => {
  it('IOT-3: lets packets within the limit through, however they are cut into chunks', () => {
    const stream = new Uint8Array([...packet(10, 0x10), ...packet(200), ...packet(0, 0xc0), ...packet(4000)]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const s = new PacketScanner(4096);
      for (let i = 0; i < stream.length; i += size) expect(s.scan(stream.subarray(i, i + size)), `chunks of ${size}`).toBe(true);
    }
  });

  it('IOT-3: stops at a header claiming more than the limit, before its body comes', () => {
    const s = new PacketScanner(4096);
    expect(s.scan(packet(10))).toBe(true);
    // the header alone of a 1 MB packet
    expect(s.scan(packet(1 << 20).subarray(0, 4))).toBe(false);
    // a length that never ends
    expect(new PacketScanner(1 << 30).scan(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(false);
  });
});
