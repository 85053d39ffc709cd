/**
 * Lays a document's text out for its panel: a little Markdown (headings, bullets) and word wrap.
 * Pure: text measurement is passed in, so it is tested without a canvas.
 */
export const LineStyle = {
  HEADING: 'heading',
  BULLET: 'bullet',
  TEXT: 'text',
  GAP: 'gap',
} as const;
export type LineStyle = (typeof LineStyle)[keyof typeof LineStyle];

export interface PanelLine {
  style: LineStyle;
  text: string;
}

/** Width of a string in the style it will be drawn in. */
export type Measure = (text: string, style: LineStyle) => number;

function classify(raw: string): PanelLine {
  const line = raw.trimEnd();
  const heading = /^#{1,6}\s+(.*)$/.exec(line);
  if (heading) return { style: LineStyle.HEADING, text: heading[1]!.trim() };
  const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
  if (bullet) return { style: LineStyle.BULLET, text: `• ${bullet[1]!.trim()}` };
  if (!line.trim()) return { style: LineStyle.GAP, text: '' };
  return { style: LineStyle.TEXT, text: line.trim() };
}

/** Breaks one line into pieces no wider than maxWidth; a single over-long word is cut by characters. */
export function wrap(text: string, style: LineStyle, maxWidth: number, measure: Measure): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let current = '';
  const pushWord = (word: string) => {
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate, style) <= maxWidth) {
      current = candidate;
      return;
    }
    if (current) out.push(current);
    current = '';
    if (measure(word, style) <= maxWidth) {
      current = word;
      return;
    }
    let piece = '';
    for (const ch of word) {
      if (piece && measure(piece + ch, style) > maxWidth) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    current = piece;
  };
  for (const word of words) pushWord(word);
  if (current) out.push(current);
  return out;
}

/**
 * The lines to draw for a document body, at most `maxLines` (the last one ends in "…" when text was
 * cut). A first heading that only repeats the title is left out, since the title bar shows it.
 */
export function layoutBody(title: string, body: string, maxWidth: number, maxLines: number, measure: Measure): PanelLine[] {
  const source = body.split(/\r?\n/).map(classify);
  if (source[0]?.style === LineStyle.HEADING && source[0].text.toLowerCase() === title.trim().toLowerCase()) source.shift();
  const lines: PanelLine[] = [];
  for (const line of source) {
    if (line.style === LineStyle.GAP) {
      if (lines.length && lines[lines.length - 1]!.style !== LineStyle.GAP) lines.push(line);
      continue;
    }
    for (const text of wrap(line.text, line.style, maxWidth, measure)) lines.push({ style: line.style, text });
  }
  while (lines.length && lines[lines.length - 1]!.style === LineStyle.GAP) lines.pop();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  const last = kept[kept.length - 1];
  if (last) {
    let text = last.text;
    while (text && measure(`${text}…`, last.style) > maxWidth) text = text.slice(0, -1);
    last.text = `${text.trimEnd()}…`;
  }
  return kept;
}
