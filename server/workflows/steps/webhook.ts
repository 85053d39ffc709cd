/**
 * `webhook`: POSTs the run's results as JSON to a URL. The Idempotency-Key header is the same on
 * every attempt and every resume, so a receiver can apply the delivery once.
 *
 * The destination must be allowed by the egress policy (public, or opened by WEBHOOK_ALLOW), and
 * what comes back is reduced to its status and a short excerpt of a text or JSON answer: the run's
 * output is readable by whoever can see the run, so it must not become a way to read other servers.
 */
import { z } from 'zod';
import { EgressRefused } from '../net/egress';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done } from './StepKind';

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** Extra headers, e.g. an authorisation token for the receiver. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(2000)).default({}),
  /** Which earlier steps' outputs to send; all of them when empty. */
  include: z.array(z.string().max(40)).max(50).default([]),
});

const RETRYABLE_STATUS = new Set([408, 425, 429]);
const EXCERPT_CHARS = 200;
const TEXTUAL = /^(text\/[a-z0-9.+-]+|application\/([a-z0-9.-]+\+)?json)\s*(;|$)/i;
// C0 and C1 controls and the bidirectional overrides that could disguise what is shown
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** The first characters of a text or JSON answer, controls removed; nothing for any other type. */
export async function responseExcerpt(res: Response): Promise<string> {
  if (!TEXTUAL.test(res.headers.get('content-type') ?? '') || !res.body) {
    await res.body?.cancel();
    return '';
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < EXCERPT_CHARS * 4) {
    const { done: finished, value } = await reader.read();
    if (finished) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text.replace(UNSAFE_CHARS, ' ').trim().slice(0, EXCERPT_CHARS);
}

export const webhookStep = defineStep({
  kind: STEP_KIND.WEBHOOK,
  title: 'Webhook',
  description: 'Sends the results so far to a URL as JSON (HTTP POST), retrying on failure.',
  needs: ['fetch'],
  params: Params,
  async run(params, ctx) {
    const outputs = params.include.length ? Object.fromEntries(params.include.map((id) => [id, ctx.outputs[id]])) : ctx.outputs;
    const body = JSON.stringify({ runId: ctx.run.id, workflowId: ctx.run.workflowId, step: ctx.step.id, input: ctx.run.input, outputs });
    const host = new URL(params.url).host;
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
      if (err instanceof EgressRefused) throw new StepFailure('DESTINATION_REFUSED', `Will not send to ${host}: ${err.message}`, false);
      throw new StepFailure('UNREACHABLE', `Could not reach ${host}: ${(err as Error).message}`);
    }
    const excerpt = await responseExcerpt(res);
    if (!res.ok) {
      const retryable = res.status >= 500 || RETRYABLE_STATUS.has(res.status);
      throw new StepFailure('HTTP_STATUS', `The receiver answered ${res.status}${excerpt ? `: ${excerpt}` : ''}`, retryable);
    }
    return done({ status: res.status, response: excerpt });
  },
});
