/**
 * `ai_generate`: writes Markdown from a prompt, the run's document and earlier results. In a
 * world, the text stands there as a panel that grows while it is written and becomes a stored
 * document when complete; the document's id comes from the step's idempotency key, so a resumed
 * step completes the same document instead of making a second one.
 */
import { z } from 'zod';
import { Vec3 } from '../../../shared/protocol';
import { ProviderName } from '../../ai/providers';
import { aiStepFailure } from './aiFailure';
import { runDocumentText } from './documentText';
import { resultsMarkdown } from './present';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { defineStep, done, worldOfRun, type StepContext } from './StepKind';
import { fillTemplate } from './transform';

const Params = z.strictObject({
  /** What to write; `{{input.x}}` and `{{steps.<id>.<path>}}` are filled in from the run. */
  prompt: z.string().min(1).max(20_000),
  title: z.string().min(1).max(120).default('Generated'),
  /** Which earlier steps' outputs to write from; all of them when empty. */
  include: z.array(z.string().max(40)).max(50).default([]),
  /** Whether the run's document goes along with the prompt. */
  useDocument: z.boolean().default(true),
  /** In order of preference; the server's default providers when omitted. */
  providers: z.array(ProviderName).min(1).max(5).optional(),
  maxTokens: z.number().int().min(16).max(32_000).default(1024),
  temperature: z.number().min(0).max(2).default(0.3),
  position: Vec3.optional(),
});
type Params = z.output<typeof Params>;

/** The material the text is written from: the document, then the earlier results. */
async function material(params: Params, ctx: StepContext): Promise<string> {
  const parts: string[] = [];
  const documentId = ctx.run.input.documentId;
  if (params.useDocument && typeof documentId === 'string' && ctx.adapters.documentText) {
    parts.push(await runDocumentText(ctx));
  }
  const outputs = params.include.length ? Object.fromEntries(params.include.map((id) => [id, ctx.outputs[id]])) : { ...ctx.outputs };
  if (Object.keys(outputs).length) parts.push(resultsMarkdown('Earlier results', outputs));
  return parts.join('\n\n');
}

export const aiGenerateStep = defineStep({
  kind: STEP_KIND.AI_GENERATE,
  title: 'Generate',
  description: 'Writes Markdown from a prompt, the document and earlier results; in a world it appears as a panel while it is written.',
  // the document and a draft in the world are used when offered, and not needed
  needs: ['ai'],
  params: Params,
  async run(params, ctx) {
    const ai = ctx.adapters.ai;
    const prompt = fillTemplate(params.prompt, { input: ctx.run.input, steps: ctx.outputs });
    const context = await material(params, ctx);
    const worldId = worldOfRun(ctx.run);
    const draft =
      worldId !== undefined && ctx.adapters.draftDocument
        ? await ctx.adapters.draftDocument({ worldId, workflowId: ctx.run.workflowId, key: ctx.idempotencyKey, title: params.title, position: params.position })
        : undefined;
    try {
      const answer = await ai.generate({ prompt, context, maxTokens: params.maxTokens, temperature: params.temperature, providers: params.providers }, ctx.signal, (soFar) =>
        draft?.write(soFar),
      );
      for (const f of answer.failures) ctx.log.warn({ provider: f.provider, code: f.code }, `provider failed, used the next: ${f.message}`);
      const doc = draft ? await draft.complete(answer.result) : undefined;
      return done({ text: answer.result, documentId: doc?.id, provider: answer.provider, model: answer.model, usage: answer.usage, failures: answer.failures });
    } catch (err) {
      draft?.abandon();
      throw aiStepFailure(err);
    }
  },
});
