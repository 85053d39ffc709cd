/**
 * `webhook`: POSTs the run's results as JSON to a URL. The Idempotency-Key header is the same on
 * every attempt and every resume, so a receiver can apply the delivery once.
 */
import { z } from 'zod';
import { StepFailure, done, type StepKind } from './StepKind';

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** Extra headers, e.g. an authorisation token for the receiver. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(2000)).default({}),
  /** Which earlier steps' outputs to send; all of them when empty. */
  include: z.array(z.string().max(40)).max(50).default([]),
});

const RETRYABLE_STATUS = new Set([408, 425, 429]);

export const webhookStep: StepKind<z.output<typeof Params>> = {
  kind: 'webhook',
  title: 'Webhook',
  description: 'Sends the results so far to a URL as JSON (HTTP POST), retrying on failure.',
  params: Params,
  async run(params, ctx) {
    const outputs = params.include.length ? Object.fromEntries(params.include.map((id) => [id, ctx.outputs[id]])) : ctx.outputs;
    const body = JSON.stringify({ runId: ctx.run.id, workflowId: ctx.run.workflowId, step: ctx.step.id, input: ctx.run.input, outputs });
    let res: Response;
    try {
      res = await ctx.adapters.fetch(params.url, {
        method: 'POST',
        headers: { ...params.headers, 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
        body,
        signal: ctx.signal,
      });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw new StepFailure('UNREACHABLE', `Could not reach ${new URL(params.url).host}: ${(err as Error).message}`);
    }
    const text = (await res.text()).slice(0, 2000);
    if (!res.ok) {
      const retryable = res.status >= 500 || RETRYABLE_STATUS.has(res.status);
      throw new StepFailure('HTTP_STATUS', `The receiver answered ${res.status}: ${text.slice(0, 200)}`, retryable);
    }
    return done({ status: res.status, response: text });
  },
};
