/**
 * `neural_trigger`: stops the run until a chosen participant gives one of the accepted commands
 * with their body or brain (a camera gesture, an XR hand gesture, a sustained EEG reading), sure
 * enough of it. Who gave it, how and how sure is stored on the run as the step's output; the
 * command is stored as the step's answer first, so a restart while waiting loses nothing.
 */
import { z } from 'zod';
import { ErrorCode, NeuralCommandName, NeuralSourceKind } from '../../../shared/protocol';
import { atLeast, type WorldRole } from '../../../shared/model/roles';
import { describeWaiting, type WaitingFor } from '../../../shared/model/runs';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done } from './StepKind';

export const NeuralTriggerParams = z.strictObject({
  prompt: z.string().min(1).max(500).default('Waiting for a command'),
  /** The display name or account id of the one participant who may answer; absent: anyone in the world. */
  participant: z.string().trim().min(1).max(64).optional(),
  /** The least world role the one answering must have (`owner`: only the world's owners). */
  role: z.enum(['editor', 'owner']).optional(),
  commands: z.array(NeuralCommandName).min(1).max(20).default(['confirm']),
  minConfidence: z.number().min(0).max(1).default(0.7),
  /** How long to wait before `onTimeout` applies; absent: wait until answered or cancelled. */
  timeoutSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
  /** `fail` fails the run; `continue` goes on with `timedOut: true` as the step's output. */
  onTimeout: z.enum(['fail', 'continue']).default('fail'),
});
export type NeuralTriggerParams = z.output<typeof NeuralTriggerParams>;

/** What is delivered to a waiting step: an accepted command, or the news that time ran out. */
export const NeuralAnswer = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('command'),
    command: NeuralCommandName,
    confidence: z.number().min(0).max(1),
    source: NeuralSourceKind,
    participant: z.string().min(1).max(64),
    userId: z.string().max(64).optional(),
    at: z.number(),
  }),
  z.strictObject({ type: z.literal('timeout'), at: z.number() }),
]);
export type NeuralAnswer = z.output<typeof NeuralAnswer>;

export interface NeuralSpeaker {
  /** Display name in the world (or the account's name for a device bridge). */
  name: string;
  /** The signed-in account, when there is one. */
  userId?: string;
  /** Their role in the world, as it is now. */
  role?: WorldRole;
}

export type NeuralJudgement = { ok: true } | { ok: false; code: ErrorCode; message: string };

/**
 * Whether a step with these parameters takes this command from this person. Pure. `account` is the
 * id of the account the step's `participant` names (by username or id), null when it names none:
 * an account is matched by its id only, since anyone may join as a guest under any display name.
 */
export function judgeNeuralCommand(params: NeuralTriggerParams, who: NeuralSpeaker, cmd: { command: string; confidence: number }, account: string | null): NeuralJudgement {
  const wanted = params.participant;
  if (wanted !== undefined && account !== null && who.userId !== account) {
    const how = who.userId ? `not for ${who.name}` : `so ${who.name}, a guest, cannot answer: sign in as ${wanted}`;
    return { ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED, message: `This step waits for the account ${wanted}, ${how}.` };
  }
  if (wanted !== undefined && account === null && wanted.toLowerCase() !== who.name.toLowerCase()) {
    return { ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED, message: `This step waits for ${wanted}, not for ${who.name}.` };
  }
  if (params.role !== undefined && !atLeast(who.role, params.role)) {
    return { ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED, message: `This step waits for a world ${params.role}; ${who.name} is ${who.role ? `${who.role === 'viewer' ? 'a' : 'an'} ${who.role}` : 'not a member'}.` };
  }
  if (!params.commands.includes(cmd.command)) {
    return { ok: false, code: ErrorCode.NEURAL_UNKNOWN_COMMAND, message: `"${cmd.command}" is not a command this step accepts (it accepts ${params.commands.join(', ')}).` };
  }
  if (cmd.confidence < params.minConfidence) {
    return {
      ok: false,
      code: ErrorCode.NEURAL_LOW_CONFIDENCE,
      message: `"${cmd.command}" was recognised with confidence ${cmd.confidence.toFixed(2)}; this step needs at least ${params.minConfidence.toFixed(2)}.`,
    };
  }
  return { ok: true };
}

/** What the step waits for, as the world shows it. */
export function neuralWaitingFor(params: NeuralTriggerParams): Extract<WaitingFor, { kind: 'neural' }> {
  const { prompt, participant, role, commands, minConfidence } = params;
  return { kind: 'neural', prompt, commands, minConfidence, ...(participant ? { participant } : {}), ...(role ? { role } : {}) };
}

/** What the step waits for, in words, for the run's log. */
export const neuralPrompt = (params: NeuralTriggerParams): string => describeWaiting(neuralWaitingFor(params));

export const neuralTriggerStep = defineStep({
  kind: STEP_KIND.NEURAL_TRIGGER,
  title: 'Neural trigger',
  description: 'Waits for a participant to give a command by gesture, hand pose or EEG.',
  needs: [],
  params: NeuralTriggerParams,
  async run(params, ctx) {
    if (ctx.answer === undefined) return { type: 'wait', reason: neuralPrompt(params), waitingFor: neuralWaitingFor(params) };
    const answer = NeuralAnswer.safeParse(ctx.answer);
    if (!answer.success) throw new StepFailure('BAD_ANSWER', 'The step got an answer that is not a neural command.', false);
    if (answer.data.type === 'timeout') {
      if (params.onTimeout === 'fail') throw new StepFailure('NEURAL_TIMEOUT', `No accepted command within ${params.timeoutSeconds ?? 0} s.`, false);
      return done({ timedOut: true, at: answer.data.at });
    }
    const { type: _type, ...command } = answer.data;
    return done({ ...command, timedOut: false });
  },
});
