/**
 * `iot_trigger`: stops the run until a device's reading crosses a threshold (with hysteresis) or
 * stands out from its recent behaviour, then goes on with that reading as its output. The watching
 * is done by IotTriggers (server/iot), which delivers the reading as the step's answer, so a restart
 * while waiting loses nothing but the readings sent while the server was down. As a workflow's first
 * step with `startRuns`, the trigger starts a new run of the workflow each time it fires.
 */
import { z } from 'zod';
import { EntityId } from '../../../shared/protocol';
import { METRIC_NAME } from '../../../shared/model/iot';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { FIRE_KINDS, type TriggerRule } from '../../iot/thresholds';
import { StepFailure, defineStep, done } from './StepKind';

const Level = z.number().min(-1e12).max(1e12);

export const IotTriggerParams = z
  .strictObject({
    device: EntityId,
    metric: z.string().regex(METRIC_NAME, 'a metric name: a letter, then letters, digits, _ . - (at most 40)'),
    /** Fires when the value goes above this. */
    above: Level.optional(),
    /** Fires when the value goes below this. */
    below: Level.optional(),
    /** How far back past the threshold the value must come before it fires again; default 5 % of the threshold's size. */
    hysteresis: z.number().min(0).max(1e12).optional(),
    /** Fires when a value is more than `k` running standard deviations from the running mean, after `warmup` readings. */
    anomaly: z
      .strictObject({
        k: z.number().min(1).max(50).default(3),
        warmup: z.number().int().min(2).max(10_000).default(20),
        alpha: z.number().gt(0).max(1).default(0.1),
      })
      .optional(),
    /** As the workflow's first step: start a new run each time it fires (its output the reading). */
    startRuns: z.boolean().default(false),
    /** How long a run waits before `onTimeout` applies; absent: until it fires or is cancelled. */
    timeoutSeconds: z.number().int().min(1).max(30 * 86_400).optional(),
    /** `fail` fails the run; `continue` goes on with `timedOut: true` as the step's output. */
    onTimeout: z.enum(['fail', 'continue']).default('fail'),
  })
  .superRefine((p, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    const threshold = p.above !== undefined || p.below !== undefined;
    if (!threshold && !p.anomaly) issue('say when it fires: "above", "below" (or both), or "anomaly"', 'above');
    if (threshold && p.anomaly) issue('a trigger watches thresholds or anomalies, not both: use two steps', 'anomaly');
    if (p.above !== undefined && p.below !== undefined && p.below >= p.above) issue('"below" must be under "above": the trigger fires outside the band between them', 'below');
    if (p.anomaly && p.hysteresis !== undefined) issue('"hysteresis" is for thresholds; an anomaly fires again once a reading is back within k/2 deviations', 'hysteresis');
    if (p.hysteresis === undefined && (p.above === 0 || p.below === 0)) issue('at a threshold of 0 the default hysteresis (5 % of it) is nothing: say how far back the value must come', 'hysteresis');
  });
export type IotTriggerParams = z.output<typeof IotTriggerParams>;

/** The reading that fired, as delivered to a waiting step and handed on as its output. */
export const FiredReading = z.strictObject({
  device: z.string().max(80),
  metric: z.string().max(40),
  value: z.number(),
  at: z.number(),
  kind: z.enum(FIRE_KINDS),
});
export type FiredReading = z.output<typeof FiredReading>;

/** What is delivered to a waiting step: the reading that fired, or the news that time ran out. */
export const IotTriggerAnswer = z.discriminatedUnion('type', [FiredReading.extend({ type: z.literal('reading') }), z.strictObject({ type: z.literal('timeout'), at: z.number() })]);
export type IotTriggerAnswer = z.output<typeof IotTriggerAnswer>;

/** The rule thresholds.ts runs for these parameters. */
export function triggerRule(p: IotTriggerParams): TriggerRule {
  if (p.anomaly) return { type: 'anomaly', ...p.anomaly };
  return { type: 'threshold', ...(p.above !== undefined ? { above: p.above } : {}), ...(p.below !== undefined ? { below: p.below } : {}), ...(p.hysteresis !== undefined ? { hysteresis: p.hysteresis } : {}) };
}

/** What the step waits for, in words. */
export function triggerPrompt(p: IotTriggerParams): string {
  const when = p.anomaly
    ? `stands out (more than ${p.anomaly.k} deviations)`
    : [p.above !== undefined ? `goes above ${p.above}` : '', p.below !== undefined ? `goes below ${p.below}` : ''].filter(Boolean).join(' or ');
  return `Waiting until ${p.metric} of ${p.device} ${when}`;
}

export const iotTriggerStep = defineStep({
  kind: STEP_KIND.IOT_TRIGGER,
  title: 'Device trigger',
  description: "Waits for a device's reading to cross a threshold or stand out; can start runs.",
  needs: ['devices'],
  params: IotTriggerParams,
  async run(params, ctx) {
    if (ctx.answer === undefined) {
      // refused here (not found) when the device is not of this workflow's world, so nothing watches it
      await ctx.adapters.devices.device(params.device, 'read');
      const prompt = triggerPrompt(params);
      return { type: 'wait', reason: prompt, waitingFor: { kind: 'device', prompt } };
    }
    const answer = IotTriggerAnswer.safeParse(ctx.answer);
    if (!answer.success) throw new StepFailure('BAD_ANSWER', 'The step got an answer that is not a reading of its device.', false);
    if (answer.data.type === 'timeout') {
      if (params.onTimeout === 'fail') throw new StepFailure('TRIGGER_TIMEOUT', `${params.metric} of ${params.device} did not fire within ${params.timeoutSeconds ?? 0} s.`, false);
      return done({ timedOut: true, at: answer.data.at });
    }
    const { type: _type, ...reading } = answer.data;
    return done(reading);
  },
});
