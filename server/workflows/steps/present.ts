/**
 * `present`: lays the run's results out in the world as a Markdown panel beside the chain. The
 * panel is created under the step's idempotency key, so a resumed step never makes a second one.
 */
import { z } from 'zod';
import { Vec3 } from '../../../shared/protocol';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done, worldOfRun } from './StepKind';
import { proofSteps, resultsMarkdown, type ProofCheck } from './resultsMarkdown';

export { resultsMarkdown };

const Params = z.strictObject({
  title: z.string().min(1).max(120).default('Results'),
  /** Which earlier steps' outputs to show; all of them when empty. */
  include: z.array(z.string().max(40)).max(50).default([]),
  position: Vec3.optional(),
});

export const presentStep = defineStep({
  kind: STEP_KIND.PRESENT,
  title: 'Present',
  description: 'Shows the results as a panel in the world.',
  needs: ['createDocument'],
  params: Params,
  async run(params, ctx) {
    const worldId = worldOfRun(ctx.run);
    if (worldId === undefined) throw new StepFailure('NO_WORLD', 'This step needs a world to present in: start the run from a world.', false);
    const outputs = params.include.length ? Object.fromEntries(params.include.map((id) => [id, ctx.outputs[id]])) : { ...ctx.outputs };
    // a proof is shown with whether the document still verifies now, not only that it was anchored
    const checks: Record<string, ProofCheck> = {};
    const documentId = ctx.run.input.documentId;
    if (typeof documentId === 'string' && ctx.adapters.verifyDocument) {
      for (const [step, network] of proofSteps(outputs)) {
        try {
          checks[step] = await ctx.adapters.verifyDocument(documentId, network);
        } catch (err) {
          ctx.log.warn({ err, step }, 'could not verify the proof to present');
        }
      }
    }
    const markdown = resultsMarkdown(params.title, outputs, checks);
    const created = await ctx.adapters.createDocument({ worldId, workflowId: ctx.run.workflowId, key: ctx.idempotencyKey, title: params.title, markdown, position: params.position });
    return done({ documentId: created.id });
  },
});
