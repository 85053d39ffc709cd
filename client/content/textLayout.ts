/**
 * Lays blocks of text out on fixed-size pages: word wrap across styled runs, list indents, headings
 * sized by level and kept with what follows them, page breaks between lines. Pure: text is measured
 * by a function passed in, so this is tested without a canvas. Units are logical page units; the
 * renderer scales them to whatever texture resolution it draws at.
 */
import { BlockKind, type Block, type Run } from './blocks';

export interface Font {
  size: number;
  bold: boolean;
  italic: boolean;
  mono: boolean;
}

/** Width of `text` drawn in `font`, in the same units as the page. */
export type Measure = (text: string, font: Font) => number;

export interface PageGeometry {
  width: number;
  height: number;
  margin: number;
}

/** A portrait page the shape of Letter paper, 1000 units wide. */
export const TEXT_PAGE: PageGeometry = { width: 1000, height: 1294, margin: 72 };
/**
 * A landscape card for text that fits on one: the same type on a smaller page, so once the card
 * is drawn as wide as a page the text comes out half as large again (a sign, not a letter).
 */
export const CARD_PAGE: PageGeometry = { width: 640, height: 480, margin: 40 };

export const BODY_SIZE = 30;
const CODE_SIZE = 25;
const HEADING_SIZES = [BODY_SIZE, 54, 44, 37, 33, 31, 30] as const;
const LINE_SPACING = 1.38;
const INDENT = 44;
const RULE_HEIGHT = 26;

export interface Segment {
  /** From the page's left edge. */
  x: number;
  text: string;
  font: Font;
}

export const Decoration = { NONE: 'none', QUOTE: 'quote', CODE: 'code', RULE: 'rule' } as const;
export type Decoration = (typeof Decoration)[keyof typeof Decoration];

export interface PlacedLine {
  /** Top of the line box and its height; text sits on `baseline`. */
  top: number;
  height: number;
  baseline: number;
  segments: Segment[];
  decoration: Decoration;
  /** Where the line's text starts (its indent), for decorations. */
  left: number;
  marker?: Segment;
}

export interface TextPage {
  lines: PlacedLine[];
}

const font = (size: number, run: Pick<Run, 'bold' | 'italic' | 'code'> = {}): Font => ({
  size: run.code ? Math.round(size * 0.88) : size,
  bold: !!run.bold,
  italic: !!run.italic,
  mono: !!run.code,
});
const sameFont = (a: Font, b: Font) => a.size === b.size && a.bold === b.bold && a.italic === b.italic && a.mono === b.mono;

interface Line {
  segments: Array<{ text: string; font: Font; width: number }>;
  width: number;
}

/** Breaks a word that is wider than the line into pieces that fit, character by character. */
function splitWord(word: string, f: Font, maxWidth: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece && measure(piece + ch, f) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** Greedy word wrap of styled runs into lines no wider than maxWidth; "\n" runs force a break. */
export function wrapRuns(runs: Run[], baseSize: number, maxWidth: number, measure: Measure): Line[] {
  const lines: Line[] = [];
  let line: Line = { segments: [], width: 0 };
  let pendingSpace: Font | null = null;
  const breakLine = () => {
    lines.push(line);
    line = { segments: [], width: 0 };
    pendingSpace = null;
  };
  const append = (text: string, f: Font) => {
    const last = line.segments[line.segments.length - 1];
    if (last && sameFont(last.font, f)) {
      last.text += text;
      last.width = measure(last.text, f);
    } else line.segments.push({ text, font: f, width: measure(text, f) });
    line.width = line.segments.reduce((w, s) => w + s.width, 0);
  };
  for (const run of runs) {
    if (run.text === '\n') {
      breakLine();
      continue;
    }
    const f = font(baseSize, run);
    for (const piece of run.text.split(/(\s+)/)) {
      if (!piece) continue;
      if (/^\s+$/.test(piece)) {
        if (line.segments.length) pendingSpace = f;
        continue;
      }
      const spaceWidth = pendingSpace ? measure(' ', pendingSpace) : 0;
      const width = measure(piece, f);
      if (line.segments.length && line.width + spaceWidth + width > maxWidth) breakLine();
      else if (pendingSpace) append(' ', pendingSpace);
      pendingSpace = null;
      if (width <= maxWidth) append(piece, f);
      else {
        const parts = splitWord(piece, f, maxWidth, measure);
        parts.forEach((part, i) => {
          if (i > 0) breakLine();
          append(part, f);
        });
      }
    }
  }
  if (line.segments.length || !lines.length) lines.push(line);
  return lines;
}

/** Code keeps its own line breaks and indentation; only over-long lines are cut. */
function wrapCode(text: string, maxWidth: number, measure: Measure): Line[] {
  const f = font(CODE_SIZE, { code: true });
  const lines: Line[] = [];
  for (const raw of text.replace(/\t/g, '  ').split('\n')) {
    const pieces = raw ? splitWord(raw, f, maxWidth, measure) : [''];
    for (const p of pieces) lines.push({ segments: p ? [{ text: p, font: f, width: measure(p, f) }] : [], width: measure(p, f) });
  }
  return lines;
}

interface Shaped {
  lines: Line[];
  size: number;
  left: number;
  spaceBefore: number;
  spaceAfter: number;
  decoration: Decoration;
  marker?: { text: string; x: number; font: Font };
  keepWithNext: boolean;
}

function shape(block: Block, geometry: PageGeometry, measure: Measure): Shaped {
  const right = geometry.width - geometry.margin;
  const base = { spaceAfter: 0, decoration: Decoration.NONE as Decoration, keepWithNext: false };
  switch (block.kind) {
    case BlockKind.HEADING: {
      const size = HEADING_SIZES[block.level] ?? BODY_SIZE;
      const left = geometry.margin;
      return { ...base, lines: wrapRuns(block.runs, size, right - left, measure), size, left, spaceBefore: size * 0.8, spaceAfter: size * 0.25, keepWithNext: true };
    }
    case BlockKind.ITEM: {
      const left = geometry.margin + INDENT * (block.level + 1);
      const markerFont = font(BODY_SIZE, { bold: /\d/.test(block.marker ?? '') });
      const marker = { text: block.marker ?? '•', x: left - 12 - measure(block.marker ?? '•', markerFont), font: markerFont };
      return { ...base, lines: wrapRuns(block.runs, BODY_SIZE, right - left, measure), size: BODY_SIZE, left, spaceBefore: BODY_SIZE * 0.2, marker };
    }
    case BlockKind.CODE: {
      const left = geometry.margin + 20 + INDENT * block.level;
      return { ...base, lines: wrapCode(block.runs[0]?.text ?? '', right - left - 20, measure), size: CODE_SIZE, left, spaceBefore: BODY_SIZE * 0.6, decoration: Decoration.CODE };
    }
    case BlockKind.QUOTE: {
      const left = geometry.margin + 28 + INDENT * block.level;
      return { ...base, lines: wrapRuns(block.runs.map((r) => ({ ...r, italic: true })), BODY_SIZE, right - left, measure), size: BODY_SIZE, left, spaceBefore: BODY_SIZE * 0.6, decoration: Decoration.QUOTE };
    }
    case BlockKind.RULE:
      return { ...base, lines: [{ segments: [], width: 0 }], size: RULE_HEIGHT / LINE_SPACING, left: geometry.margin, spaceBefore: BODY_SIZE * 0.5, decoration: Decoration.RULE };
    case BlockKind.PARAGRAPH: {
      const left = geometry.margin + INDENT * block.level;
      return { ...base, lines: wrapRuns(block.runs, BODY_SIZE, right - left, measure), size: BODY_SIZE, left, spaceBefore: block.tight ? 0 : BODY_SIZE * 0.6 };
    }
    default: {
      const unreachable: never = block.kind;
      throw new Error(`unknown block ${String(unreachable)}`);
    }
  }
}

/** Lays the blocks out on as many pages as they need (always at least one). */
export function layoutPages(blocks: Block[], measure: Measure, geometry: PageGeometry = TEXT_PAGE): TextPage[] {
  const top = geometry.margin;
  const bottom = geometry.height - geometry.margin;
  const pages: TextPage[] = [{ lines: [] }];
  let y = top;
  const page = () => pages[pages.length - 1]!;
  const newPage = () => {
    pages.push({ lines: [] });
    y = top;
  };
  const shaped = blocks.map((b) => shape(b, geometry, measure));
  shaped.forEach((block, index) => {
    const lineHeight = block.size * LINE_SPACING;
    if (y > top) y += block.spaceBefore;
    // a heading at the foot of a page, cut off from its text, reads as a mistake: move it over
    const next = shaped[index + 1];
    const needed = block.lines.length * lineHeight + (block.keepWithNext && next ? next.spaceBefore + next.size * LINE_SPACING : 0);
    if (y > top && y + needed > bottom && needed <= bottom - top) newPage();
    block.lines.forEach((line, i) => {
      if (y + lineHeight > bottom && y > top) newPage();
      let x = block.left;
      const segments = line.segments.map((s) => {
        const placed = { x, text: s.text, font: s.font };
        x += s.width;
        return placed;
      });
      const placed: PlacedLine = { top: y, height: lineHeight, baseline: y + block.size * 1.02, segments, decoration: block.decoration, left: block.left };
      if (i === 0 && block.marker) placed.marker = block.marker;
      page().lines.push(placed);
      y += lineHeight;
    });
    y += block.spaceAfter;
  });
  return pages;
}

/** Short text goes on one large-type card; anything longer on as many Letter pages as it needs. */
export function layoutDocument(blocks: Block[], measure: Measure): { geometry: PageGeometry; pages: TextPage[] } {
  const card = layoutPages(blocks, measure, CARD_PAGE);
  if (card.length === 1) return { geometry: CARD_PAGE, pages: card };
  return { geometry: TEXT_PAGE, pages: layoutPages(blocks, measure, TEXT_PAGE) };
}
