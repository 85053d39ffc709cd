/**
 * `iot_command`: gives a device of the run's world a command and (by default) waits until the device
 * has answered it. The command is given once per step, however often the step runs: its id is made
 * from the step's idempotency key, so another attempt, a resume or a restart finds the command the
 * first attempt gave instead of sending a second.
 */
import { z } from 'zod';
import { EntityId } from '../../../shared/protocol';
import { COMMAND_FINAL } from '../../../shared/model/iot';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import type { CommandRecord } from '../../adapters/storage/IotStore';
import { SendCommand } from '../../iot/inputs';
import { StepFailure, defineStep, done } from './StepKind';

export const IotCommandParams = z.strictObject({
  device: EntityId,
  /** The command's name, as the device knows it. */
  command: SendCommand.shape.name,
  params: SendCommand.shape.params,
  /** How long the device has to answer once the command reached it. */
  timeoutMs: SendCommand.shape.timeoutMs,
  /** How long the command waits for a device that is away; not sent after. */
  ttlMs: SendCommand.shape.ttlMs,
  /** false: go on once the command is given, with its state then. */
  wait: z.boolean().default(true),
});
export type IotCommandParams = z.output<typeof IotCommandParams>;

/** Longest the step holds an execution slot waiting for an answer; after that it checks back without one. */
const HOLD_MS = 20_000;
/** How soon it checks back on a command still waiting: soon at first, then less often for a device long away. */
const CHECK_BACK_MS = { min: 5_000, max: 60_000 } as const;

function checkBackMs(c: CommandRecord, now: number): number {
  if (c.state === 'sent') return CHECK_BACK_MS.min;
  return Math.min(CHECK_BACK_MS.max, Math.max(CHECK_BACK_MS.min, (now - Date.parse(c.createdAt)) / 2));
}

/** What the step hands on: the command and, once settled, how it ended. */
export function commandOutput(c: CommandRecord): { commandId: string; state: string; result?: unknown; error?: string } {
  return { commandId: c.id, state: c.state, ...(c.result !== undefined ? { result: c.result } : {}), ...(c.error !== undefined ? { error: c.error } : {}) };
}

/**
 * A settled command as the step's end. None of the failures is retried: another attempt has the
 * same key and so finds the same settled command, and giving a new one instead could make the device
 * act twice (one that did not answer in time may still have acted).
 */
export function settledOutcome(c: CommandRecord, params: IotCommandParams): ReturnType<typeof done> {
  switch (c.state) {
    case 'done':
      return done(commandOutput(c));
    case 'failed':
      throw new StepFailure('COMMAND_FAILED', `The device could not do "${params.command}": ${c.error ?? 'it did not say why'}.`, false);
    case 'timed_out':
      throw new StepFailure('COMMAND_TIMED_OUT', `The device did not answer "${params.command}" within ${params.timeoutMs / 1000} s; it is not sent again, since it may have acted.`, false);
    case 'expired':
      throw new StepFailure('COMMAND_EXPIRED', `The device did not come back within ${params.ttlMs / 1000} s, so "${params.command}" was never sent.`, false);
    case 'queued':
    case 'sent':
      throw new Error(`the command ${c.id} is not settled`);
    default: {
      const unreachable: never = c.state;
      throw new Error(`unknown command state ${String(unreachable)}`);
    }
  }
}

/** `work`, or the signal's reason as soon as it aborts (the work is left to settle on its own). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export const iotCommandStep = defineStep({
  kind: STEP_KIND.IOT_COMMAND,
  title: 'Device command',
  description: 'Gives a device of the world a command and waits for its answer.',
  needs: ['devices'],
  params: IotCommandParams,
  async run(params, ctx) {
    const devices = ctx.adapters.devices;
    const input = { name: params.command, params: params.params, timeoutMs: params.timeoutMs, ttlMs: params.ttlMs };
    const given = await unlessAborted(devices.command(params.device, input, ctx.idempotencyKey), ctx.signal);
    if (!params.wait) return done(commandOutput(given));
    const latest = COMMAND_FINAL.has(given.state) ? given : await unlessAborted(devices.awaitCommand(params.device, given.id, HOLD_MS), ctx.signal);
    if (COMMAND_FINAL.has(latest.state)) return settledOutcome(latest, params);
    // a device that is away may take hours to come back: wait for it without holding a slot
    return { type: 'sleep', ms: checkBackMs(latest, Date.now()), reason: latest.state === 'queued' ? `"${params.command}" waits for the device to come back` : `"${params.command}" waits for the device's answer` };
  },
});
