/** Markdown and plain text as pages: laid out once on logical pages, drawn at any resolution. */
import { markdownBlocks, textBlocks } from './blocks';
import { cssFont } from './fonts';
import { newCanvas } from './canvas';
import type { PageSource } from './pageSource';
import { Decoration, layoutDocument, type Font, type PageGeometry, type PlacedLine, type TextPage } from './textLayout';

const INK = '#23262d';
const SOFT = '#eef0f3';
const RULE = '#c9ced6';

function measurer(): (text: string, font: Font) => number {
  const ctx = newCanvas(1, 1).getContext('2d')!;
  let current = '';
  return (text, font) => {
    const css = cssFont(font);
    if (css !== current) ctx.font = current = css;
    return ctx.measureText(text).width;
  };
}

function drawLine(ctx: CanvasRenderingContext2D, line: PlacedLine, geometry: PageGeometry, measure: (t: string, f: Font) => number): void {
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

function drawPage(page: TextPage, geometry: PageGeometry, widthPx: number, measure: (t: string, f: Font) => number): HTMLCanvasElement {
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

/** A page source for a text document's full content (or the preview of it). */
export function textSource(kind: 'markdown' | 'text', content: string): PageSource {
  const measure = measurer();
  const { geometry, pages } = layoutDocument(kind === 'markdown' ? markdownBlocks(content) : textBlocks(content), measure);
  const aspect = geometry.width / geometry.height;
  return {
    pageCount: pages.length,
    pageAspect: () => Promise.resolve(aspect),
    renderPage: (page, widthPx) => Promise.resolve(drawPage(pages[Math.min(pages.length, Math.max(1, page)) - 1]!, geometry, widthPx, measure)),
    dispose: () => undefined,
  };
}
