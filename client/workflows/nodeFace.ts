/** Textures of a chain: the face of a step node (kind, name, live status) and small button faces. */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { SANS } from '../content/fonts';
import { textColourOn } from '../scene/textures';
import { kindName } from './kindNames';
import type { Look } from './stepLook';
import { fitTitle, type Measure } from './textFit';
import { TITLE_STRIP, type TitleStrip } from './chainLayout';

export const FACE_PX = { width: 512, height: 330 } as const;

function ctxOf(t: DynamicTexture): CanvasRenderingContext2D {
  return t.getContext() as unknown as CanvasRenderingContext2D;
}

/** Widths in the weight (bold, 600…) a line is drawn in. */
const widthIn =
  (ctx: CanvasRenderingContext2D, weight: string): Measure =>
  (text, px) => {
    ctx.font = `${weight} ${px}px ${SANS}`;
    return ctx.measureText(text).width;
  };

/** Node names: large on one line, else on two, and smaller only when they must be. */
export const NODE_NAME_SIZES = { oneLine: [52, 46, 40], twoLines: [44, 40, 34] } as const;
/** The kind and status lines stay one line each: smaller sizes before any cut. */
const KIND_SIZES = { oneLine: [30, 27, 24], twoLines: [] } as const;
const STATUS_SIZES = { oneLine: [38, 34, 30, 27], twoLines: [] } as const;
/** Chain titles are one wide line: smaller sizes before any cut. */
const CHAIN_TITLE_SIZES = { oneLine: [52, 46, 40, 34], twoLines: [] } as const;

/** Draws one line of `text` at the largest of `sizes` that fits `max`, cut only when none does. */
function fitLine(ctx: CanvasRenderingContext2D, weight: string, text: string, max: number, sizes: { oneLine: readonly number[]; twoLines: readonly number[] }, x: number, y: number): void {
  const fitted = fitTitle(widthIn(ctx, weight), text, max, sizes);
  ctx.font = `${weight} ${fitted.px}px ${SANS}`;
  ctx.fillText(fitted.lines[0] ?? '', x, y);
}

function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let cut = text;
  while (cut && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Up to `lines` lines of `text` within `max` pixels, the last cut with an ellipsis. */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width <= max || !line) line = next;
    else {
      out.push(line);
      line = word;
      if (out.length === lines) break;
    }
  }
  if (line && out.length < lines) out.push(line);
  else if (out.length === lines) out[lines - 1] = fit(ctx, `${out[lines - 1]} ${line}`, max);
  return out.map((l) => fit(ctx, l, max));
}

export interface NodeFaceContent {
  kind: string;
  name: string;
  look: Look;
  /** "1", "2", … so the order reads at a glance. */
  position: number;
  draft: boolean;
}

export function drawNodeFace(texture: DynamicTexture, c: NodeFaceContent): void {
  const { width: w, height: hgt } = FACE_PX;
  const ctx = ctxOf(texture);
  ctx.clearRect(0, 0, w, hgt);
  ctx.fillStyle = c.look.colour;
  ctx.beginPath();
  ctx.roundRect(4, 4, w - 8, hgt - 8, 28);
  ctx.fill();
  if (c.draft) {
    ctx.setLineDash([18, 12]);
    ctx.lineWidth = 8;
    ctx.strokeStyle = '#ffd54f';
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const ink = textColourOn(c.look.colour);
  ctx.fillStyle = ink;
  ctx.textBaseline = 'top';
  fitLine(ctx, '600', `${c.position} · ${kindName(c.kind).title}`, w - 60, KIND_SIZES, 30, 22);
  const name = fitTitle(widthIn(ctx, 'bold'), c.name, w - 60, NODE_NAME_SIZES);
  ctx.font = `bold ${name.px}px ${SANS}`;
  const lineHeight = Math.round(name.px * 1.1);
  name.lines.forEach((line, i) => ctx.fillText(line, 30, 64 + i * lineHeight));
  // the status and its detail follow the name down the face
  let y = 64 + name.lines.length * lineHeight + 14;
  fitLine(ctx, '600', c.look.label, w - 60, STATUS_SIZES, 30, y);
  y += 50;
  ctx.font = `30px ${SANS}`;
  const detailLines = Math.max(1, Math.floor((hgt - 16 - y) / 34));
  wrap(ctx, c.look.detail, w - 60, detailLines).forEach((line, i) => ctx.fillText(line, 30, y + i * 34));
  texture.update();
}

export function createNodeTexture(scene: Scene, name: string): DynamicTexture {
  const t = new DynamicTexture(name, { ...FACE_PX }, scene, true);
  t.hasAlpha = true;
  return t;
}

/** A square button face with one short glyph or word. */
export function createButtonTexture(scene: Scene, name: string, text: string, background: string): DynamicTexture {
  const size = 128;
  const t = new DynamicTexture(name, { width: text.length > 2 ? size * 2 : size, height: size }, scene, true);
  t.hasAlpha = true;
  const ctx = ctxOf(t);
  const w = t.getSize().width;
  ctx.clearRect(0, 0, w, size);
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(4, 4, w - 8, size - 8, 24);
  ctx.fill();
  ctx.fillStyle = textColourOn(background);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${text.length > 2 ? 54 : 80}px ${SANS}`;
  ctx.fillText(text, w / 2, size / 2 + 4);
  t.update();
  return t;
}

/** The title strip above a chain: wide and short, left-aligned text on a rounded band (see titleStrip). */
export function drawTitle(texture: DynamicTexture, text: string, background: string): void {
  const { width: w, height: hgt } = texture.getSize();
  const ctx = ctxOf(texture);
  ctx.clearRect(0, 0, w, hgt);
  const title = fitTitle(widthIn(ctx, 'bold'), text, w - 48, CHAIN_TITLE_SIZES);
  ctx.font = `bold ${title.px}px ${SANS}`;
  const label = title.lines[0] ?? '';
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(0, 4, Math.min(w, ctx.measureText(label).width + 48), hgt - 8, 22);
  ctx.fill();
  ctx.fillStyle = textColourOn(background);
  ctx.textBaseline = 'middle';
  ctx.fillText(label, 24, hgt / 2 + 2);
  texture.update();
}

export function createTitleTexture(scene: Scene, name: string, strip: TitleStrip): DynamicTexture {
  const t = new DynamicTexture(name, { width: strip.widthPx, height: TITLE_STRIP.heightPx }, scene, true);
  t.hasAlpha = true;
  return t;
}
