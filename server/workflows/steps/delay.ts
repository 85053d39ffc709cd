/** `delay`: waits a while, e.g. to give people a moment before the next step. */
import { z } from 'zod';
import { done, sleep, type StepKind } from './StepKind';

const Params = z.strictObject({ ms: z.number().int().min(0).max(86_400_000) });

export const delayStep: StepKind<z.output<typeof Params>> = {
  kind: 'delay',
  title: 'Delay',
  description: 'Waits for the given number of milliseconds.',
  params: Params,
  async run({ ms }, ctx) {
    await sleep(ms, ctx.signal);
    return done({ waitedMs: ms });
  },
};
