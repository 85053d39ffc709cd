/**
 * `ai_analysis`: summary, keywords, sentiment, named entities and labels for the run's document.
 * The built-in offline analyser is the provider that always works; providers are named in order
 * of preference so that LLM providers can be put in front of it by configuration.
 */
import { z } from 'zod';
import { analyse } from '../../analysis/OfflineAnalyser';
import { StepFailure, done, type StepKind } from './StepKind';

const Params = z.strictObject({
  providers: z.array(z.string().min(1).max(40)).min(1).max(5).default(['builtin']),
  summarySentences: z.number().int().min(1).max(20).default(3),
  labels: z
    .array(z.strictObject({ label: z.string().min(1).max(60), hints: z.array(z.string().max(60)).max(50).default([]) }))
    .max(30)
    .default([]),
});

export const aiAnalysisStep: StepKind<z.output<typeof Params>> = {
  kind: 'ai_analysis',
  title: 'Analyse',
  description: 'Summary, keywords, sentiment, people, places, organisations, dates, money and labels of the document.',
  params: Params,
  async run(params, ctx) {
    const id = ctx.run.input.documentId;
    if (typeof id !== 'string') throw new StepFailure('NO_DOCUMENT', 'This step needs a document: start the run on one.', false);
    if (!ctx.adapters.documentText) throw new StepFailure('UNAVAILABLE', 'Documents cannot be read here.', false);
    const text = await ctx.adapters.documentText(id);
    const tried: string[] = [];
    for (const provider of params.providers) {
      if (provider === 'builtin') return done({ ...analyse(text, params), usage: { inputCharacters: text.length, tokens: 0, cost: 0 } });
      tried.push(provider);
      ctx.log.warn({ provider }, 'analysis provider is not configured; trying the next');
    }
    throw new StepFailure('NO_PROVIDER', `None of the providers could analyse the document (not configured: ${tried.join(', ')}).`, false);
  },
};
