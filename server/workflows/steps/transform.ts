/**
 * `transform`: reshapes a document or earlier results without any outside service — an outline
 * of a Markdown document's headings, one section of it, its word count, or a text filled in from
 * earlier results.
 */
import { z } from 'zod';
import { runDocumentText } from './documentText';
import { StepFailure, done, type StepKind } from './StepKind';

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

/** Headings of a Markdown text, outside code fences. */
export function outline(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) headings.push({ level: m[1]!.length, text: m[2]! });
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
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (level === 0) {
      if (m && m[2]!.trim().toLowerCase() === want) level = m[1]!.length;
      continue;
    }
    if (m && m[1]!.length <= level) break;
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

export const transformStep: StepKind<Params> = {
  kind: 'transform',
  title: 'Transform',
  description: 'Outline, extract a section, count words, or fill a template from earlier results.',
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
};
