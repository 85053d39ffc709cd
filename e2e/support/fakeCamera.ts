/**
 * A camera for tests: Chromium plays a Y4M file as its fake capture device
 * (`--use-file-for-fake-video-capture`). This builds that file from a still photograph, with plain
 * Node code: decode the PNG, cut out the part to show, convert to YUV 4:2:0 and repeat the frame.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodePng, type Image } from './png';

export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Y4mOptions {
  crop?: Crop;
  /** Frames in the file; Chromium loops the file, so a few identical frames make a steady picture. */
  frames?: number;
  fps?: number;
}

const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A still image as a Y4M video (full-range BT.601, 4:2:0, the crop rounded down to even sizes). */
export function y4mFromImage(image: Image, opts: Y4mOptions = {}): Buffer {
  const crop = opts.crop ?? { x: 0, y: 0, width: image.width, height: image.height };
  if (crop.x < 0 || crop.y < 0 || crop.x + crop.width > image.width || crop.y + crop.height > image.height) {
    throw new Error(`the crop ${JSON.stringify(crop)} is outside the ${image.width}×${image.height} image`);
  }
  const width = crop.width & ~1;
  const height = crop.height & ~1;
  if (width < 2 || height < 2) throw new Error('the crop is too small for a video frame');
  const rgb = (x: number, y: number): [number, number, number] => {
    const i = ((crop.y + y) * image.width + crop.x + x) * 4;
    return [image.pixels[i]!, image.pixels[i + 1]!, image.pixels[i + 2]!];
  };
  const luma = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      luma[y * width + x] = clampByte(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = rgb(x + dx, y + dy);
        r += p[0] / 4;
        g += p[1] / 4;
        b += p[2] / 4;
      }
      const i = (y / 2) * (width / 2) + x / 2;
      u[i] = clampByte(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      v[i] = clampByte(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, u, v]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${opts.fps ?? 30}:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: opts.frames ?? 5 }, () => frame)]);
}

/** Reads a PNG photograph and writes it as a Y4M file Chromium can use as its camera. */
export function writeFakeCameraVideo(photo: string, out: string, opts: Y4mOptions = {}): void {
  writeFileSync(out, y4mFromImage(decodePng(readFileSync(photo)), opts));
}

/** The Chromium flags that make `video` the camera and grant camera permission without a prompt. */
export function fakeCameraArgs(video: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`];
}
