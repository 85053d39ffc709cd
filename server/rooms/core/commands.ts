/**
 * Effects that are not changes to the state but requests to the rest of the server: workflow
 * commands to the engine, and neural commands to the runs waiting for them. A failure goes back to
 * the participant who asked.
 */
import { ErrorCode, ServerEvent, type NeuralAccepted } from '../../../shared/protocol';
import type { WorldRole } from '../../../shared/model/roles';
import { runSummary } from '../../../shared/model/runs';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import type { Effect } from '../../../shared/model/world';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type { CoreContext, Peer } from './types';

export type Command = Extract<Effect, { op: 'runStart' | 'runCancel' | 'runAnswer' }>;
export const isCommand = (e: Effect): e is Command => e.op === 'runStart' || e.op === 'runCancel' || e.op === 'runAnswer';
export type NeuralEffect = Extract<Effect, { op: 'neuralCommand' | 'neuralSources' }>;
export const isNeural = (e: Effect): e is NeuralEffect => e.op === 'neuralCommand' || e.op === 'neuralSources';

/** Hands a workflow command to the engine; a failure goes back to the participant who asked. */
export async function runCommand(ctx: CoreContext, effect: Command, from?: Peer, log: Logger = ctx.log): Promise<void> {
  const { deps } = ctx;
  try {
    switch (effect.op) {
      case 'runStart': {
        const identity = from?.identity;
        if (identity) await deps.quota.charge(identity.kind === 'user' ? { kind: 'account', userId: identity.userId } : { kind: 'guest', address: identity.address }, 1);
        const input: Record<string, unknown> = { worldId: ctx.world.id, startedBy: effect.by };
        if (effect.documentId) input.documentId = effect.documentId;
        const [run] = await deps.workflows.startRuns(effect.workflowId, { input, priority: effect.priority });
        if (run) ctx.applyAll([{ op: 'runProgress', run: runSummary(run) }]);
        return;
      }
      case 'runCancel':
        await deps.engine.cancel(effect.runId);
        return;
      case 'runAnswer': {
        const waiting = ctx.state.runs.get(effect.runId)?.steps.find((s) => s.status === 'waiting');
        const done = waiting && (await deps.engine.signal(effect.runId, waiting.id, { approved: effect.approved, by: answeredBy(effect.by, from), comment: effect.comment }, STEP_KIND.APPROVAL));
        if (!done && from) ctx.refuse(from.id, ErrorCode.RUN_NOT_WAITING, 'That run is no longer waiting for an answer.', 'runAnswer');
        return;
      }
      default: {
        const unreachable: never = effect;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (err) {
    log.warn({ err, op: effect.op }, 'workflow command refused');
    if (from) {
      const message = err instanceof AppError ? err.message : 'The workflow could not do that; it has been logged.';
      ctx.refuse(from.id, err instanceof AppError ? err.code : ErrorCode.INTERNAL, message, effect.op);
    }
  }
}

/** Who an answer is recorded as: an account by its name, a guest marked as one, so no guest passes for an account. */
function answeredBy(name: string, from?: Peer): string {
  return from?.identity?.kind === 'user' ? from.identity.username : `${name.slice(0, 56)} (guest)`;
}

/** A neural command goes to the waiting runs, which judge it; the sender hears either way. */
export async function neuralCommand(ctx: CoreContext, effect: NeuralEffect, from?: Peer, log: Logger = ctx.log): Promise<void> {
  const participant = from && ctx.state.participants.get(from.id);
  if (!from || !participant) return;
  const identity = from.identity;
  const who = { name: participant.name, ...(identity?.kind === 'user' ? { userId: identity.userId } : {}), role: participant.role as WorldRole };
  if (effect.op === 'neuralSources') {
    ctx.deps.neural.reportSources({ worldId: ctx.world.id, participantId: from.id, ...who, sources: effect.sources });
    return;
  }
  try {
    const result = await ctx.deps.neural.command({ worldId: ctx.world.id, who, command: effect.command, confidence: effect.confidence, source: effect.source, ...(effect.runId ? { runId: effect.runId } : {}) });
    if (!result.ok) return ctx.refuse(from.id, result.code, result.message, 'neuralCommand');
    ctx.record(from.id, 'neuralCommand', 'accepted', { target: { type: 'run', id: result.runIds[0]! }, after: { command: effect.command, confidence: effect.confidence, source: effect.source, runs: result.runIds } });
    const accepted: NeuralAccepted = { command: effect.command, runIds: result.runIds };
    ctx.port.send(from.id, ServerEvent.NEURAL_ACCEPTED, accepted);
  } catch (err) {
    log.warn({ err }, 'neural command failed');
    ctx.refuse(from.id, ErrorCode.INTERNAL, 'The server could not handle that command; it has been logged.', 'neuralCommand');
  }
}
