/**
 * `transform`: reshapes a document or earlier results without any outside service — an outline
 * of a Markdown document's headings, one section of it, its word count, or a text filled in from
 * earlier results.
 */
import { z } from 'zod';
import { runDocumentText } from './documentText';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done } from './StepKind';

const Params = z.discriminatedUnion('operation', [
  z.strictObject({ operation: z.literal('outline') }),
  z.strictObject({ operation: z.literal('extract_section'), heading: z.string().min(1).max(200) }),
  z.strictObject({ operation: z.literal('word_count') }),
  z.strictObject({ operation: z.literal('template'), template: z.string().min(1).max(20_000) }),
]);
type Params = z.output<typeof Params>;

export interface Heading {
  level: number;
  text: string;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/**
 * The ATX heading on one line (`## Title ##`), or undefined. Scanned by hand rather than with a
 * regular expression: every pattern that trims the optional closing `#`s around a lazy title
 * backtracks cubically on a heading padded with thousands of spaces.
 */
export function parseHeading(line: string): Heading | undefined {
  let level = 0;
  while (line[level] === '#') level++;
  if (level < 1 || level > 6 || !isSpace(line[level])) return undefined;
  let start = level;
  while (isSpace(line[start])) start++;
  let end = line.length;
  while (end > start && isSpace(line[end - 1])) end--;
  // a closing sequence of #s counts only after a space, so "C#" keeps its #
  let close = end;
  while (close > start && line[close - 1] === '#') close--;
  if (close === start) return undefined;
  if (close < end && isSpace(line[close - 1])) {
    end = close;
    while (end > start && isSpace(line[end - 1])) end--;
  }
  return { level, text: line.slice(start, end) };
}

/** Headings of a Markdown text, outside code fences. */
export function outline(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^[ \t]*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : parseHeading(line);
    if (heading) headings.push(heading);
  }
  return headings;
}

/** The text under a heading, up to the next heading of the same or a higher level. */
export function extractSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const want = heading.trim().toLowerCase();
  let level = 0;
  const out: string[] = [];
  for (const line of lines) {
    const h = parseHeading(line);
    if (level === 0) {
      if (h && h.text.toLowerCase() === want) level = h.level;
      continue;
    }
    if (h && h.level <= level) break;
    out.push(line);
  }
  return level === 0 ? undefined : out.join('\n').trim();
}

/** Fills `{{path}}` placeholders from the run input and earlier outputs (`{{steps.<id>.<path>}}`). */
export function fillTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, path: string) => {
    let v: unknown = scope;
    for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

export const transformStep = defineStep({
  kind: STEP_KIND.TRANSFORM,
  title: 'Transform',
  description: 'Outline, extract a section, count words, or fill a template from earlier results.',
  // the document is read only by some operations; reading it says so when it cannot be read
  needs: [],
  params: Params,
  async run(params, ctx) {
    switch (params.operation) {
      case 'outline':
        return done({ headings: outline(await runDocumentText(ctx)) });
      case 'extract_section': {
        const section = extractSection(await runDocumentText(ctx), params.heading);
        if (section === undefined) throw new StepFailure('NO_SECTION', `The document has no heading "${params.heading}".`, false);
        return done({ heading: params.heading, text: section });
      }
      case 'word_count': {
        const text = await runDocumentText(ctx);
        return done({ words: text.split(/\s+/).filter(Boolean).length, characters: text.length });
      }
      case 'template':
        return done({ text: fillTemplate(params.template, { input: ctx.run.input, steps: ctx.outputs }) });
      default: {
        const unreachable: never = params;
        throw new StepFailure('BAD_OPERATION', `Unknown operation ${JSON.stringify(unreachable)}`, false);
      }
    }
  },
});
