import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { y4mFromImage } from './fakeCamera';
import { decodePng, type Image } from './png';

/** A 4×4 image: the left half white, the right half pure red. */
function halves(): Image {
  const pixels = new Uint8Array(4 * 4 * 4);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const i = (y * 4 + x) * 4;
      pixels.set(x < 2 ? [255, 255, 255, 255] : [255, 0, 0, 255], i);
    }
  }
  return { width: 4, height: 4, pixels };
}

function parse(y4m: Buffer) {
  const headerEnd = y4m.indexOf(0x0a);
  const header = y4m.subarray(0, headerEnd).toString('ascii');
  const [, w, h] = /W(\d+) H(\d+)/.exec(header)!;
  const width = Number(w);
  const height = Number(h);
  const frameBytes = 6 + width * height * 1.5;
  const body = y4m.subarray(headerEnd + 1);
  return { header, width, height, frames: body.length / frameBytes, firstFrame: body.subarray(6, frameBytes), marker: body.subarray(0, 6).toString('ascii') };
}

describe('a fake camera video from a still photograph', () => {
  it('writes a Y4M header, whole 4:2:0 frames, and the colours as YUV', () => {
    const video = parse(y4mFromImage(halves(), { frames: 3, fps: 15 }));
    expect(video.header).toBe('YUV4MPEG2 W4 H4 F15:1 Ip A1:1 C420jpeg');
    expect(video.frames).toBe(3);
    expect(video.marker).toBe('FRAME\n');
    const luma = [...video.firstFrame.subarray(0, 16)];
    expect(luma.slice(0, 4)).toEqual([255, 255, 76, 76]);
    const [uWhite, uRed] = video.firstFrame.subarray(16, 18);
    const [vWhite, vRed] = video.firstFrame.subarray(20, 22);
    expect([uWhite, vWhite]).toEqual([128, 128]);
    expect(uRed).toBeLessThan(100);
    expect(vRed).toBe(255);
  });

  it('cuts out the crop, rounded to even sizes, and refuses one outside the picture', () => {
    const video = parse(y4mFromImage(halves(), { crop: { x: 2, y: 1, width: 2, height: 3 }, frames: 1 }));
    expect([video.width, video.height]).toEqual([2, 2]);
    expect([...video.firstFrame.subarray(0, 4)]).toEqual([76, 76, 76, 76]);
    expect(() => y4mFromImage(halves(), { crop: { x: 3, y: 0, width: 2, height: 2 } })).toThrow(/outside/);
  });

  it('reads the grey photograph the camera test is built from', () => {
    const photo = decodePng(readFileSync('e2e/fixtures/basketball1.png'));
    expect([photo.width, photo.height]).toEqual([640, 480]);
    // grey: every pixel has equal channels, and the picture is not blank
    const sample = Array.from({ length: 100 }, (_, k) => (k * 3001) % (640 * 480));
    expect(sample.every((i) => photo.pixels[i * 4] === photo.pixels[i * 4 + 1] && photo.pixels[i * 4] === photo.pixels[i * 4 + 2])).toBe(true);
    expect(new Set(sample.map((i) => photo.pixels[i * 4])).size).toBeGreaterThan(20);
  });
});
