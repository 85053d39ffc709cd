/**
 * `present`: lays the run's results out in the world as a Markdown panel beside the chain. The
 * panel is created under the step's idempotency key, so a resumed step never makes a second one.
 */
import { z } from 'zod';
import { Vec3 } from '../../../shared/protocol';
import { StepFailure, done, type StepKind } from './StepKind';

const Params = z.strictObject({
  title: z.string().min(1).max(120).default('Results'),
  /** Which earlier steps' outputs to show; all of them when empty. */
  include: z.array(z.string().max(40)).max(50).default([]),
  position: Vec3.optional(),
});

/** Renders outputs as readable Markdown: one section per step, values as lists or code. */
export function resultsMarkdown(title: string, outputs: Record<string, unknown>): string {
  const parts = [`# ${title}`];
  for (const [step, output] of Object.entries(outputs)) {
    parts.push(`## ${step}`);
    if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
      for (const [k, v] of Object.entries(output as Record<string, unknown>)) {
        parts.push(`- **${k}**: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      }
    } else {
      parts.push(String(JSON.stringify(output)));
    }
  }
  return parts.join('\n\n');
}

export const presentStep: StepKind<z.output<typeof Params>> = {
  kind: 'present',
  title: 'Present',
  description: 'Shows the results as a panel in the world.',
  params: Params,
  async run(params, ctx) {
    const worldId = ctx.run.input.worldId;
    if (typeof worldId !== 'string') throw new StepFailure('NO_WORLD', 'This step needs a world to present in: start the run from a world.', false);
    if (!ctx.adapters.createDocument) throw new StepFailure('UNAVAILABLE', 'Documents cannot be created here.', false);
    const outputs = params.include.length ? Object.fromEntries(params.include.map((id) => [id, ctx.outputs[id]])) : { ...ctx.outputs };
    const markdown = resultsMarkdown(params.title, outputs);
    const created = await ctx.adapters.createDocument({ worldId, key: ctx.idempotencyKey, title: params.title, markdown, position: params.position });
    return done({ documentId: created.id });
  },
};
