/**
 * The structured result of an analysis, whichever provider made it. LLM providers are asked for
 * exactly this shape through a JSON-schema response format, and their reply is checked against
 * the same schema before it is accepted: a reply that does not fit is a failure, never a result.
 */
import { z } from 'zod';
import type { LabelSpec } from '../analysis/OfflineAnalyser';

const Names = z.array(z.string().max(200)).max(100);
/** The offline analyser's amounts of money, normalised; language models are not asked for them. */
const Amounts = z.array(z.strictObject({ text: z.string().max(200), value: z.number(), currency: z.string().regex(/^[A-Z]{3}$/) })).max(100);

export const AnalysisBody = z.strictObject({
  summary: z.array(z.string().min(1).max(2000)).min(1).max(20),
  keywords: z.array(z.strictObject({ term: z.string().min(1).max(100), score: z.number().min(0).max(1) })).max(50),
  sentiment: z.strictObject({ score: z.number().min(-1).max(1), label: z.enum(['positive', 'negative', 'neutral']) }),
  entities: z.strictObject({ people: Names, places: Names, organisations: Names, dates: Names, money: Names, amounts: Amounts.optional() }),
  labels: z.array(z.strictObject({ label: z.string().min(1).max(60), score: z.number().min(0).max(1) })).max(30),
  /** Set by the offline analyser when the document was longer than it reads. */
  coverage: z.strictObject({ analysedCharacters: z.number().int().min(0), totalCharacters: z.number().int().min(0) }).optional(),
});
export type AnalysisBody = z.output<typeof AnalysisBody>;

export interface AnalysisOptions {
  summarySentences: number;
  labels: LabelSpec[];
}

/**
 * The JSON schema sent as the response format. Written out by hand rather than generated because
 * strict structured outputs accept only a subset (every property required, no extra ones, no
 * numeric bounds), which the zod schema above goes beyond.
 */
export function analysisJsonSchema(labels: readonly string[]): Record<string, unknown> {
  const strings = { type: 'array', items: { type: 'string' } };
  const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
  return obj({
    summary: { type: 'array', items: { type: 'string' }, description: 'The key points, one sentence each.' },
    keywords: { type: 'array', items: obj({ term: { type: 'string' }, score: { type: 'number', description: 'Importance from 0 to 1.' } }) },
    sentiment: obj({ score: { type: 'number', description: 'From -1 (negative) to 1 (positive).' }, label: { type: 'string', enum: ['positive', 'negative', 'neutral'] } }),
    entities: obj({ people: strings, places: strings, organisations: strings, dates: strings, money: strings }),
    labels: {
      type: 'array',
      items: obj({ label: labels.length ? { type: 'string', enum: [...labels] } : { type: 'string' }, score: { type: 'number', description: 'How well the label fits, from 0 to 1.' } }),
    },
  });
}

/** The chat messages that ask a model for an analysis of `text`. */
export function analysisMessages(text: string, opts: AnalysisOptions, schemaInPrompt: boolean): Array<{ role: 'system' | 'user'; content: string }> {
  const labelLines = opts.labels.map((l) => `- ${l.label}${l.hints?.length ? ` (hints: ${l.hints.join(', ')})` : ''}`).join('\n');
  const system = [
    'You analyse documents. Reply with one JSON object and nothing else.',
    `summary: the ${opts.summarySentences} most important points, one sentence each.`,
    'keywords: up to 10 terms with an importance score from 0 to 1.',
    'sentiment: a score from -1 to 1 and its label.',
    'entities: people, places, organisations, dates and amounts of money named in the document.',
    opts.labels.length ? `labels: score each of these labels from 0 to 1 by how well it fits:\n${labelLines}` : 'labels: an empty list.',
    schemaInPrompt ? `The JSON schema of the reply:\n${JSON.stringify(analysisJsonSchema(opts.labels.map((l) => l.label)))}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  // the document is data: it goes in its own message, fenced, never into the instructions
  return [
    { role: 'system', content: system },
    { role: 'user', content: `The document:\n<document>\n${text}\n</document>` },
  ];
}

/**
 * The reply without the code fence some local servers wrap JSON in even when asked not to. Cut by
 * hand: a pattern for "spaces then a fence at the end" retries from every space of a long reply.
 */
function unfenced(content: string): string {
  let body = content.trim();
  const open = /^```(?:json)?/.exec(body);
  if (open) body = body.slice(open[0].length);
  if (body.endsWith('```')) body = body.slice(0, -3);
  return body.trim();
}

/** Parses and checks a model's reply; throws an Error that says what is wrong with it. */
export function parseAnalysis(content: string | null | undefined, opts: AnalysisOptions): AnalysisBody {
  if (!content) throw new Error('the reply was empty');
  let raw: unknown;
  try {
    raw = JSON.parse(unfenced(content));
  } catch {
    throw new Error(`the reply is not JSON (it starts "${content.slice(0, 60)}")`);
  }
  const parsed = AnalysisBody.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'reply'}: ${i.message}`);
    throw new Error(`the reply does not match the analysis schema (${issues.join('; ')})`);
  }
  const wanted = new Set(opts.labels.map((l) => l.label));
  const stray = parsed.data.labels.find((l) => !wanted.has(l.label));
  if (stray) throw new Error(`the reply has a label that was not asked for ("${stray.label}")`);
  return parsed.data;
}
