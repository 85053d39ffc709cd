/**
 * Composes a panel's face on a canvas: the pages of the spread side by side, the footer with the
 * title and "page N of M", and the sticky notes pinned on the shown pages. Text is only ever drawn
 * with fillText, so nothing anyone typed is interpreted.
 */
import { SANS } from '../content/fonts';
import { newCanvas } from '../content/canvas';
import { facePixels, pageToFace, type FaceLayout, type NoteBox } from './faceLayout';

export interface NoteMark {
  id: string;
  /** Slot of the spread the note's page is shown in. */
  slot: number;
  u: number;
  v: number;
  text: string;
  colour: string;
}

export interface FaceContent {
  layout: FaceLayout;
  /** Pixels per page width. */
  pageWidth: number;
  /** One canvas per slot; null leaves the slot blank (past the last page). */
  pages: Array<HTMLCanvasElement | null>;
  title: string;
  footer: string;
  notes: NoteMark[];
}

const PAPER = '#fdfdfb';
const FOOTER_BG = '#e6e8ec';
const FOOTER_INK = '#3a3f48';
/** Longest note text shown on the page; the rest is in the note's dialog. */
const NOTE_PREVIEW_CHARS = 40;

function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function drawFooter(ctx: CanvasRenderingContext2D, content: FaceContent, width: number, top: number, height: number): void {
  ctx.fillStyle = FOOTER_BG;
  ctx.fillRect(0, top, width, height);
  const size = Math.round(height * 0.5);
  const pad = height * 0.45;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = FOOTER_INK;
  ctx.font = `${size}px ${SANS}`;
  ctx.textAlign = 'right';
  ctx.fillText(content.footer, width - pad, top + height / 2);
  const footerWidth = ctx.measureText(content.footer).width;
  ctx.font = `bold ${size}px ${SANS}`;
  ctx.textAlign = 'left';
  ctx.fillText(fitText(ctx, content.title || 'Untitled', width - footerWidth - pad * 3), pad, top + height / 2);
}

/** Draws one note: a colour square centred on its pin and a label with the start of its text. */
function drawNote(ctx: CanvasRenderingContext2D, note: NoteMark, content: FaceContent, width: number, height: number): NoteBox {
  const { fu, fv } = pageToFace(content.layout, note);
  const x = fu * width;
  const y = fv * height;
  const s = content.pageWidth * 0.04;
  const size = Math.round(content.pageWidth * 0.024);
  ctx.font = `${size}px ${SANS}`;
  const firstLine = note.text.split('\n')[0]!.slice(0, NOTE_PREVIEW_CHARS);
  const label = fitText(ctx, firstLine.length < note.text.length ? `${firstLine}…` : firstLine, content.pageWidth * 0.42);
  const labelWidth = ctx.measureText(label).width + size;
  const labelHeight = size * 1.6;
  // the label goes right of the square unless that would run off the page
  const pageRight = (note.slot + 1) * content.pageWidth;
  const right = x + s / 2 + 4 + labelWidth <= pageRight;
  const lx = right ? x + s / 2 + 4 : x - s / 2 - 4 - labelWidth;
  const ly = y - labelHeight / 2;

  ctx.fillStyle = 'rgba(0,0,0,0.25)';
  ctx.fillRect(x - s / 2 + 3, y - s / 2 + 3, s, s);
  ctx.fillStyle = note.colour;
  ctx.fillRect(x - s / 2, y - s / 2, s, s);
  ctx.strokeStyle = '#1b1d22';
  ctx.lineWidth = Math.max(1, s * 0.06);
  ctx.strokeRect(x - s / 2, y - s / 2, s, s);
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.beginPath();
  ctx.roundRect(lx, ly, labelWidth, labelHeight, labelHeight * 0.25);
  ctx.fill();
  ctx.strokeStyle = note.colour;
  ctx.stroke();
  ctx.fillStyle = '#1b1d22';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, lx + size / 2, y + 1);
  const left = Math.min(x - s / 2, lx);
  const far = Math.max(x + s / 2, lx + labelWidth);
  return { id: note.id, left: left / width, right: far / width, top: Math.min(y - s / 2, ly) / height, bottom: Math.max(y + s / 2, ly + labelHeight) / height };
}

/** The face canvas and where each note landed on it (for clicks). */
export function composeFace(content: FaceContent): { canvas: HTMLCanvasElement; noteBoxes: NoteBox[] } {
  const size = facePixels(content.layout, content.pageWidth);
  const canvas = newCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, size.width, size.pageHeight);
  content.pages.forEach((page, slot) => {
    if (!page) return;
    // a page of another shape than the first is fitted into its slot, centred
    const k = Math.min(content.pageWidth / page.width, size.pageHeight / page.height);
    const w = page.width * k;
    const h = page.height * k;
    ctx.drawImage(page, slot * content.pageWidth + (content.pageWidth - w) / 2, (size.pageHeight - h) / 2, w, h);
  });
  ctx.fillStyle = 'rgba(0,0,0,0.18)';
  for (let slot = 1; slot < content.layout.slots; slot++) ctx.fillRect(slot * content.pageWidth - 1, 0, 2, size.pageHeight);
  if (size.footerHeight) drawFooter(ctx, content, size.width, size.pageHeight, size.footerHeight);
  const noteBoxes = content.notes.map((n) => drawNote(ctx, n, content, size.width, size.height));
  return { canvas, noteBoxes };
}

/** A single page that only says something (loading, or why the document cannot be shown). */
export function messagePage(widthPx: number, aspect: number, message: string, colour = '#5d6470'): HTMLCanvasElement {
  const canvas = newCanvas(widthPx, widthPx / aspect);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const size = Math.round(widthPx * 0.045);
  ctx.font = `${size}px ${SANS}`;
  ctx.fillStyle = colour;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const words = message.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && ctx.measureText(next).width > widthPx * 0.8) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  lines.forEach((l, i) => ctx.fillText(l, widthPx / 2, canvas.height / 2 + (i - (lines.length - 1) / 2) * size * 1.4));
  return canvas;
}
