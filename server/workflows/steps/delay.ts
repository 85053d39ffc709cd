/**
 * `delay`: waits a while, e.g. to give people a moment before the next step. The run is parked
 * with its wake-up time stored rather than sleeping in an execution slot, so many long delays
 * cannot hold up other runs, and a restart resumes at the stored time rather than from the start.
 */
import { z } from 'zod';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { defineStep, done } from './StepKind';

const Params = z.strictObject({ ms: z.number().int().min(0).max(86_400_000) });

export const delayStep = defineStep({
  kind: STEP_KIND.DELAY,
  title: 'Delay',
  description: 'Waits for the given number of milliseconds.',
  needs: [],
  params: Params,
  async run({ ms }, ctx) {
    if (ms > 0 && ctx.wakeAt === undefined) return { type: 'sleep', ms, reason: `waiting ${ms} ms` };
    return done({ waitedMs: ms });
  },
});
