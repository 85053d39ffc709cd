/**
 * The JSON messages an EEG bridge sends over its WebSocket (docs/neural-bridge.md): raw samples,
 * or band powers it computed itself. Parsing never throws: a bad message is an error result.
 */
import { z } from 'zod';
import type { BandPowers } from './bands';

export const MAX_CHANNELS = 16;
export const MAX_CHUNK = 4096;

const Sample = z.number().finite().min(-1e6).max(1e6);
const Power = z.number().finite().min(0).max(1e12);

export const SamplesMessage = z
  .strictObject({
    type: z.literal('samples'),
    /** Samples per second of every channel. */
    rate: z.number().min(64).max(4096),
    /** One array per channel (µV), all the same length: the samples since the last message. */
    channels: z.array(z.array(Sample).min(1).max(MAX_CHUNK)).min(1).max(MAX_CHANNELS),
  })
  .refine((m) => m.channels.every((c) => c.length === m.channels[0]!.length), { message: 'every channel must carry the same number of samples' });

export const BandsMessage = z.strictObject({
  type: z.literal('bands'),
  delta: Power,
  theta: Power,
  alpha: Power,
  beta: Power,
  gamma: Power,
});

export type EegMessage = z.output<typeof SamplesMessage> | z.output<typeof BandsMessage>;
export type ParsedEegMessage = { ok: true; message: EegMessage } | { ok: false; error: string };

const MAX_TEXT = 1_000_000;

export function parseEegMessage(data: unknown): ParsedEegMessage {
  if (typeof data !== 'string') return { ok: false, error: 'EEG messages must be JSON text.' };
  if (data.length > MAX_TEXT) return { ok: false, error: `An EEG message may be at most ${MAX_TEXT} characters.` };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'An EEG message was not valid JSON.' };
  }
  const type = (json as { type?: unknown } | null)?.type;
  const schema = type === 'samples' ? SamplesMessage : type === 'bands' ? BandsMessage : null;
  if (!schema) return { ok: false, error: 'An EEG message needs "type": "samples" or "bands".' };
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `Bad ${String(type)} message: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
  }
  return { ok: true, message: parsed.data };
}

export const bandsOf = (m: Extract<EegMessage, { type: 'bands' }>): BandPowers => ({ delta: m.delta, theta: m.theta, alpha: m.alpha, beta: m.beta, gamma: m.gamma });
