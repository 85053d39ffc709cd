/**
 * `ai_analysis`: summary, keywords, sentiment, named entities and labels for the run's document.
 * Providers are named in order of preference and the next is tried when one fails; the built-in
 * offline analyser is the default and always works. Results of LLM providers are cached, so
 * analysing the same document the same way again does not call the provider again.
 */
import { z } from 'zod';
import { ProviderName } from '../../ai/providers';
import { aiStepFailure } from './aiFailure';
import { runDocumentText } from './documentText';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { defineStep, done } from './StepKind';

const Params = z.strictObject({
  /** In order of preference; the server's default providers when omitted. */
  providers: z.array(ProviderName).min(1).max(5).optional(),
  summarySentences: z.number().int().min(1).max(20).default(3),
  labels: z
    .array(z.strictObject({ label: z.string().min(1).max(60), hints: z.array(z.string().max(60)).max(50).default([]) }))
    .max(30)
    .default([]),
});

export const aiAnalysisStep = defineStep({
  kind: STEP_KIND.AI_ANALYSIS,
  title: 'Analyse',
  description: 'Summary, keywords, sentiment, people, places, organisations, dates, money and labels of the document.',
  needs: ['documentText', 'ai'],
  params: Params,
  async run(params, ctx) {
    const text = await runDocumentText(ctx);
    try {
      const answer = await ctx.adapters.ai.analyse(text, params, ctx.signal);
      for (const f of answer.failures) ctx.log.warn({ provider: f.provider, code: f.code }, `provider failed, used the next: ${f.message}`);
      return done({ ...answer.result, provider: answer.provider, model: answer.model, usage: answer.usage, failures: answer.failures });
    } catch (err) {
      throw aiStepFailure(err);
    }
  },
});
