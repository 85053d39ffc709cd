/** Markdown and plain text as pages: laid out once on logical pages, drawn at any resolution. */
import { markdownBlocks, textBlocks } from './blocks';
import { cssFont } from './fonts';
import { newCanvas } from './canvas';
import type { PageSource } from './pageSource';
import { Decoration, layoutDocument, type Font, type PageGeometry, type PlacedLine, type TextPage } from './textLayout';

const INK = '#23262d';
const SOFT = '#eef0f3';
const RULE = '#c9ced6';

/** Widths of text in a font, in canvas pixels. */
export type TextMeasure = (text: string, font: Font) => number;

/** Most widths a measurer remembers before it starts afresh (a few MB at most). */
const MEASURE_CACHE_MAX = 50_000;

/**
 * A measurer that remembers widths: wrapping measures the same words and line starts again and
 * again, and the documents of one world share most of their words and all of their fonts, so one
 * measurer shared by a world's documents lays each out at a fraction of the canvas calls.
 */
export function textMeasurer(): TextMeasure {
  const ctx = newCanvas(1, 1).getContext('2d')!;
  let current = '';
  const known = new Map<string, number>();
  return (text, font) => {
    const css = cssFont(font);
    const key = `${css}|${text}`;
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    if (css !== current) ctx.font = current = css;
    const width = ctx.measureText(text).width;
    if (known.size >= MEASURE_CACHE_MAX) known.clear();
    known.set(key, width);
    return width;
  };
}

function drawLine(ctx: CanvasRenderingContext2D, line: PlacedLine, geometry: PageGeometry, measure: TextMeasure): void {
  const right = geometry.width - geometry.margin;
  switch (line.decoration) {
    case Decoration.CODE:
      ctx.fillStyle = SOFT;
      ctx.fillRect(line.left - 16, line.top, right - line.left + 16, line.height);
      break;
    case Decoration.QUOTE:
      ctx.fillStyle = RULE;
      ctx.fillRect(line.left - 22, line.top, 6, line.height);
      break;
    case Decoration.RULE:
      ctx.fillStyle = RULE;
      ctx.fillRect(line.left, line.top + line.height / 2 - 1.5, right - line.left, 3);
      return;
    case Decoration.NONE:
      break;
    default: {
      const unreachable: never = line.decoration;
      throw new Error(`unknown decoration ${String(unreachable)}`);
    }
  }
  if (line.marker) {
    ctx.font = cssFont(line.marker.font);
    ctx.fillStyle = INK;
    ctx.fillText(line.marker.text, line.marker.x, line.baseline);
  }
  for (const s of line.segments) {
    ctx.font = cssFont(s.font);
    if (s.font.mono && line.decoration !== Decoration.CODE) {
      ctx.fillStyle = SOFT;
      ctx.fillRect(s.x - 3, line.top + line.height * 0.12, measure(s.text, s.font) + 6, line.height * 0.8);
    }
    ctx.fillStyle = INK;
    ctx.fillText(s.text, s.x, line.baseline);
  }
}

function drawPage(page: TextPage, geometry: PageGeometry, widthPx: number, measure: TextMeasure): HTMLCanvasElement {
  const scale = widthPx / geometry.width;
  const canvas = newCanvas(widthPx, geometry.height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fdfdfb';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  for (const line of page.lines) drawLine(ctx, line, geometry, measure);
  return canvas;
}

/**
 * A page source for a text document's full content (or the preview of it), measured with
 * `measure` (pass a world's shared measurer; by default one of its own).
 */
export function textSource(kind: 'markdown' | 'text', content: string, measure: TextMeasure = textMeasurer()): PageSource {
  const { geometry, pages } = layoutDocument(kind === 'markdown' ? markdownBlocks(content) : textBlocks(content), measure);
  const aspect = geometry.width / geometry.height;
  return {
    pageCount: pages.length,
    pageAspect: () => Promise.resolve(aspect),
    renderPage: (page, widthPx) => Promise.resolve(drawPage(pages[Math.min(pages.length, Math.max(1, page)) - 1]!, geometry, widthPx, measure)),
    dispose: () => undefined,
  };
}
