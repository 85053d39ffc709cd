/**
 * Surfaces painted once on small canvases (no downloads): wood planks, pale boards, polished
 * concrete, paving stones, a greenboard and the skyline seen through windows. Seeded, so every
 * visit and every person sees the same grain.
 */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { seededRandom } from '../../../shared/random';

export const SURFACE_KINDS = ['planks', 'paleBoards', 'concrete', 'paving', 'grass', 'greenboard', 'skyline'] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** Canvas size of each surface; small because they tile. */
const SIZE = 512;

type Ctx = CanvasRenderingContext2D;
const rgb = (r: number, g: number, b: number) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;

function speckle(ctx: Ctx, rand: () => number, count: number, alpha: number): void {
  for (let i = 0; i < count; i++) {
    const v = rand() < 0.5 ? 0 : 255;
    ctx.fillStyle = `rgba(${v},${v},${v},${alpha * rand()})`;
    ctx.fillRect(rand() * SIZE, rand() * SIZE, 1 + rand() * 2, 1 + rand() * 2);
  }
}

/** Boards running along v, staggered ends, grain lines; `base` is the mean wood colour. */
function boards(ctx: Ctx, rand: () => number, base: Rgb, count: number, spread: number): void {
  const w = SIZE / count;
  for (let i = 0; i < count; i++) {
    let y = -rand() * SIZE;
    while (y < SIZE) {
      const len = SIZE * (0.5 + rand() * 0.6);
      const k = 1 + (rand() - 0.5) * spread;
      ctx.fillStyle = rgb(base[0] * k, base[1] * k, base[2] * k);
      ctx.fillRect(i * w, y, w, len);
      // grain: thin darker streaks along the board
      for (let g = 0; g < 14; g++) {
        ctx.fillStyle = `rgba(40,25,10,${0.04 + rand() * 0.06})`;
        ctx.fillRect(i * w + rand() * w, y, 1 + rand() * 1.5, len);
      }
      ctx.fillStyle = 'rgba(30,20,10,0.55)';
      ctx.fillRect(i * w, y, w, 2);
      y += len;
    }
    ctx.fillStyle = 'rgba(30,20,10,0.5)';
    ctx.fillRect(i * w, 0, 2, SIZE);
  }
}
type Rgb = readonly [number, number, number];

function paint(kind: SurfaceKind, ctx: Ctx): void {
  const rand = seededRandom(SURFACE_KINDS.indexOf(kind) * 7919 + 17);
  switch (kind) {
    case 'planks':
      return boards(ctx, rand, [150, 118, 90], 6, 0.28);
    case 'paleBoards':
      return boards(ctx, rand, [200, 188, 168], 4, 0.12);
    case 'concrete': {
      ctx.fillStyle = rgb(150, 150, 148);
      ctx.fillRect(0, 0, SIZE, SIZE);
      // soft mottling, then fine aggregate
      for (let i = 0; i < 60; i++) {
        const v = 120 + rand() * 60;
        ctx.fillStyle = `rgba(${v},${v},${v - 2},0.12)`;
        ctx.beginPath();
        ctx.arc(rand() * SIZE, rand() * SIZE, 20 + rand() * 70, 0, Math.PI * 2);
        ctx.fill();
      }
      speckle(ctx, rand, 5000, 0.25);
      // saw-cut joints at the tile edge
      ctx.fillStyle = 'rgba(60,60,60,0.6)';
      ctx.fillRect(0, 0, SIZE, 2);
      ctx.fillRect(0, 0, 2, SIZE);
      return;
    }
    case 'paving': {
      ctx.fillStyle = rgb(120, 115, 108);
      ctx.fillRect(0, 0, SIZE, SIZE);
      const n = 4;
      const s = SIZE / n;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const k = 0.85 + rand() * 0.3;
          ctx.fillStyle = rgb(172 * k, 164 * k, 150 * k);
          ctx.fillRect(x * s + 4, y * s + 4, s - 8, s - 8);
        }
      }
      speckle(ctx, rand, 4000, 0.2);
      return;
    }
    case 'grass': {
      ctx.fillStyle = rgb(86, 120, 60);
      ctx.fillRect(0, 0, SIZE, SIZE);
      for (let i = 0; i < 6000; i++) {
        const k = 0.7 + rand() * 0.6;
        ctx.fillStyle = rgb(80 * k, 125 * k, 55 * k);
        ctx.fillRect(rand() * SIZE, rand() * SIZE, 1, 3 + rand() * 4);
      }
      return;
    }
    case 'greenboard': {
      ctx.fillStyle = rgb(38, 78, 60);
      ctx.fillRect(0, 0, SIZE, SIZE);
      // chalk dust where a board has been wiped
      for (let i = 0; i < 40; i++) {
        ctx.fillStyle = `rgba(230,240,235,${0.02 + rand() * 0.04})`;
        ctx.fillRect(rand() * SIZE, rand() * SIZE, 60 + rand() * 160, 10 + rand() * 30);
      }
      return;
    }
    case 'skyline':
      return skyline(ctx, rand);
  }
}

/** A daylit city seen from a few floors up: sky gradient, distant towers with window grids. */
function skyline(ctx: Ctx, rand: () => number): void {
  const sky = ctx.createLinearGradient(0, 0, 0, SIZE);
  sky.addColorStop(0, '#7fb2e8');
  sky.addColorStop(0.55, '#cfe3f5');
  sky.addColorStop(1, '#e9eef0');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, SIZE, SIZE);
  for (const [depth, tone] of [[0.45, 175], [0.6, 140], [0.78, 110]] as const) {
    let x = -rand() * 30;
    while (x < SIZE) {
      const w = 25 + rand() * 55;
      const top = SIZE * depth - rand() * SIZE * 0.3;
      ctx.fillStyle = rgb(tone * 0.9, tone * 0.95, tone);
      ctx.fillRect(x, top, w, SIZE - top);
      ctx.fillStyle = `rgba(235,245,255,${0.25 + (depth - 0.4)})`;
      for (let wy = top + 6; wy < SIZE; wy += 9) for (let wx = x + 4; wx < x + w - 4; wx += 7) ctx.fillRect(wx, wy, 3, 4);
      x += w + rand() * 8;
    }
  }
}

/** A painted surface tiling `repeat` times across whatever it is put on. */
export function surfaceTexture(scene: Scene, kind: SurfaceKind, repeat: [number, number] = [1, 1]): Texture {
  const texture = new DynamicTexture(`surface-${kind}`, { width: SIZE, height: SIZE }, scene, true);
  paint(kind, texture.getContext() as unknown as Ctx);
  texture.update(true);
  texture.uScale = repeat[0];
  texture.vScale = repeat[1];
  texture.wrapU = texture.wrapV = kind === 'skyline' ? Texture.CLAMP_ADDRESSMODE : Texture.WRAP_ADDRESSMODE;
  texture.anisotropicFilteringLevel = 8;
  return texture;
}

const means = new Map<SurfaceKind, [number, number, number]>();

/**
 * The mean colour of a surface (0–1 per channel), for drawing it as a plain colour: the light
 * graphics tier keeps the hue of the wood or stone and leaves out its grain.
 */
export function surfaceMeanColour(kind: SurfaceKind): [number, number, number] {
  let mean = means.get(kind);
  if (!mean) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = SIZE;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return [0.6, 0.6, 0.6];
    paint(kind, ctx);
    const { data } = ctx.getImageData(0, 0, SIZE, SIZE);
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    const n = (data.length / 4) * 255;
    mean = [sum[0]! / n, sum[1]! / n, sum[2]! / n];
    means.set(kind, mean);
  }
  return mean;
}
