/**
 * Small labels drawn onto textures (name tags, holder badges). Canvas text is rendered at a size
 * that stays legible at a few metres, then mip-mapped. Document pages are drawn by client/content.
 */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { SANS as FONT_FAMILY } from '../content/fonts';

/** Readable text colour on a background: dark on light colours, white on dark ones. */
export function textColourOn(hex: string): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  if (Number.isNaN(n)) return '#ffffff';
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1b1d22' : '#ffffff';
}

// Babylon types its context as a cross-platform subset; in the browser it is the real 2D context
function context2d(texture: DynamicTexture): CanvasRenderingContext2D {
  return texture.getContext() as unknown as CanvasRenderingContext2D;
}

function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Label textures are this shape; label planes keep it so text is not stretched. */
export const LABEL_TEXTURE = { width: 768, height: 128 } as const;

/** A rounded label (name tag, holder badge) with a transparent surround. */
export function createLabelTexture(scene: Scene, name: string, text: string, background: string): DynamicTexture {
  const size = LABEL_TEXTURE;
  const texture = new DynamicTexture(name, { ...size }, scene, true);
  texture.hasAlpha = true;
  const ctx = context2d(texture);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.font = `bold ${Math.round(size.height * 0.46)}px ${FONT_FAMILY}`;
  const label = fitText(ctx, text, size.width - size.height * 0.6);
  const textWidth = ctx.measureText(label).width;
  const boxWidth = Math.min(size.width, textWidth + size.height * 0.6);
  const x = (size.width - boxWidth) / 2;
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(x, 4, boxWidth, size.height - 8, size.height * 0.3);
  ctx.fill();
  ctx.fillStyle = textColourOn(background);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, size.width / 2, size.height / 2 + 2);
  texture.update();
  return texture;
}

/** Name tag textures are this shape: a name line over a smaller line of detail. */
export const TAG_TEXTURE = { width: 768, height: 208 } as const;

/** A name tag: the name in bold, and below it what they are here (role · device). */
export function createTagTexture(scene: Scene, name: string, title: string, detail: string, background: string): DynamicTexture {
  const size = TAG_TEXTURE;
  const texture = new DynamicTexture(name, { ...size }, scene, true);
  texture.hasAlpha = true;
  const ctx = context2d(texture);
  ctx.clearRect(0, 0, size.width, size.height);
  const pad = 44;
  ctx.font = `bold 64px ${FONT_FAMILY}`;
  const line1 = fitText(ctx, title, size.width - 2 * pad);
  const width1 = ctx.measureText(line1).width;
  ctx.font = `600 52px ${FONT_FAMILY}`;
  const line2 = fitText(ctx, detail, size.width - 2 * pad);
  const width2 = ctx.measureText(line2).width;
  const boxWidth = Math.min(size.width, Math.max(width1, width2) + 2 * pad);
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect((size.width - boxWidth) / 2, 4, boxWidth, size.height - 8, 40);
  ctx.fill();
  ctx.fillStyle = textColourOn(background);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold 64px ${FONT_FAMILY}`;
  ctx.fillText(line1, size.width / 2, 70);
  ctx.font = `600 52px ${FONT_FAMILY}`;
  ctx.fillText(line2, size.width / 2, 148);
  texture.update();
  return texture;
}
