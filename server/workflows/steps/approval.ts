/**
 * `approval`: stops the run until an editor approves or rejects it, in the world or over REST.
 * The answer is stored on the run, so a restart while waiting loses nothing.
 */
import { z } from 'zod';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done } from './StepKind';

const Params = z.strictObject({
  prompt: z.string().min(1).max(500).default('Approve this run?'),
  /** When true a rejection fails the run; when false the run goes on with approved: false. */
  failOnReject: z.boolean().default(true),
});

export const Answer = z.strictObject({
  approved: z.boolean(),
  by: z.string().min(1).max(64),
  comment: z.string().max(1000).default(''),
});
export type Answer = z.output<typeof Answer>;

export const approvalStep = defineStep({
  kind: STEP_KIND.APPROVAL,
  title: 'Approval',
  description: 'Waits for an editor to approve or reject.',
  needs: [],
  params: Params,
  async run(params, ctx) {
    if (ctx.answer === undefined) return { type: 'wait', reason: params.prompt, waitingFor: { kind: 'approval', prompt: params.prompt } };
    const answer = Answer.parse(ctx.answer);
    if (!answer.approved && params.failOnReject) {
      throw new StepFailure('REJECTED', `Rejected by ${answer.by}${answer.comment ? `: ${answer.comment}` : ''}`, false);
    }
    return done(answer);
  },
});
