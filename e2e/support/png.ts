/**
 * Just enough PNG decoding to judge a screenshot: 8-bit RGB/RGBA, not interlaced (what Chromium
 * writes), and 8-bit grey. Returns RGBA pixels.
 */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, row-major. */
  pixels: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(file: Buffer): Image {
  if (!SIGNATURE.every((b, i) => file[i] === b)) throw new Error('not a PNG file');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (colourType !== 0 && colourType !== 2 && colourType !== 6)) {
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${interlace})`);
      }
      // grey (0) is what photographs from image-processing samples often are
      channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 1;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? row[x - channels]! : 0;
      const up = prev ? prev[x]! : 0;
      const upLeft = prev && x >= channels ? prev[x - channels]! : 0;
      const v = src[x]!;
      switch (filter) {
        case 0: row[x] = v; break;
        case 1: row[x] = v + left; break;
        case 2: row[x] = v + up; break;
        case 3: row[x] = v + ((left + up) >> 1); break;
        case 4: row[x] = v + paeth(left, up, upLeft); break;
        default: throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    pixels[i * 4] = rows[j]!;
    pixels[i * 4 + 1] = rows[channels === 1 ? j : j + 1]!;
    pixels[i * 4 + 2] = rows[channels === 1 ? j : j + 2]!;
    pixels[i * 4 + 3] = channels === 4 ? rows[j + 3]! : 255;
  }
  return { width, height, pixels };
}

/** How varied an image is: distinct colours, and the share of the most common one. */
export function colourStats(image: Image): { distinct: number; dominantShare: number } {
  const counts = new Map<number, number>();
  const total = image.width * image.height;
  for (let i = 0; i < total; i++) {
    const key = (image.pixels[i * 4]! << 16) | (image.pixels[i * 4 + 1]! << 8) | image.pixels[i * 4 + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { distinct: counts.size, dominantShare: Math.max(...counts.values()) / total };
}
