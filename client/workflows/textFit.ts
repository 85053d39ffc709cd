/**
 * Fitting a title into a width on a texture: the largest font size at which it fits on one line,
 * else on two, and only when even the smallest size will not do, a cut with an ellipsis. Pure:
 * the caller measures (a canvas context in the client, a stand-in in tests).
 */

/** The width in pixels of `text` set at `px` pixels. */
export type Measure = (text: string, px: number) => number;

export interface Fitted {
  px: number;
  lines: string[];
  /** Whether the text had to be cut short. */
  cut: boolean;
}

/** The longest start of `text` that fits with an ellipsis. */
export function ellipsize(measure: Measure, text: string, px: number, max: number): string {
  if (measure(text, px) <= max) return text;
  let cut = text;
  while (cut && measure(`${cut}…`, px) > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Words into at most `lines` lines; null when they do not all fit whole. */
function wrapWhole(measure: Measure, text: string, px: number, max: number, lines: number): string[] | null {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (measure(word, px) > max) return null;
    const next = line ? `${line} ${word}` : word;
    if (measure(next, px) <= max) line = next;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out.length <= lines ? out : null;
}

/**
 * `oneLine` sizes are tried first (largest first), then `twoLines` sizes on up to two lines; if
 * nothing fits whole, two lines at the smallest size with the end cut.
 */
export function fitTitle(measure: Measure, text: string, max: number, sizes: { oneLine: readonly number[]; twoLines: readonly number[] }): Fitted {
  for (const px of sizes.oneLine) if (measure(text, px) <= max) return { px, lines: [text], cut: false };
  for (const px of sizes.twoLines) {
    const lines = wrapWhole(measure, text, px, max, 2);
    if (lines) return { px, lines, cut: false };
  }
  const px = sizes.twoLines[sizes.twoLines.length - 1] ?? sizes.oneLine[sizes.oneLine.length - 1] ?? 16;
  if (!sizes.twoLines.length) return { px, lines: [ellipsize(measure, text, px, max)], cut: true };
  const words = text.split(/\s+/).filter(Boolean);
  let first = '';
  while (words.length && measure(first ? `${first} ${words[0]}` : words[0]!, px) <= max) first = first ? `${first} ${words.shift()}` : words.shift()!;
  if (!first) return { px, lines: [ellipsize(measure, text, px, max)], cut: true };
  return { px, lines: [first, ellipsize(measure, words.join(' '), px, max)], cut: true };
}
