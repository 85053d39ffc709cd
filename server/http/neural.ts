/**
 * `/api/v3/neural`: who is streaming which neural sources (`GET /sessions`), and commands from an
 * external device bridge (`POST /commands`, an EEG headband or gesture sensor with an API key),
 * judged by the waiting runs exactly as commands from the world are.
 */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { EntityId, ErrorCode, NeuralCommandName, NeuralSourceKind, describeIssues } from '../../shared/protocol';
import type { Caller } from '../auth/AuthService';
import type { Store } from '../adapters/storage/Store';
import { AppError } from '../errors';
import type { NeuralService } from '../neural/NeuralService';
import type { WorldAccess } from '../access/WorldAccess';
import { requireWorld, who as whoIs } from './access';

const BridgeCommand = z.strictObject({
  worldId: EntityId,
  /** The account the bridge speaks for; it must be the API key's owner. Absent: the owner. */
  userId: z.string().min(1).max(64).optional(),
  command: NeuralCommandName,
  confidence: z.number().min(0).max(1),
  source: NeuralSourceKind.default('bridge'),
  runId: EntityId.optional(),
});

/** HTTP status of each refusal a waiting run can give. */
const REFUSAL_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.RUN_NOT_WAITING]: 409,
  [ErrorCode.NEURAL_NOT_PERMITTED]: 403,
  [ErrorCode.NEURAL_UNKNOWN_COMMAND]: 422,
  [ErrorCode.NEURAL_LOW_CONFIDENCE]: 422,
};

const caller = (res: Response): Caller => (res.locals.auth as Caller | undefined) ?? { kind: 'guest' };

export function neuralRoutes(neural: NeuralService, store: Store, access: WorldAccess): Router {
  const r = express.Router({ caseSensitive: true });

  r.get('/sessions', async (req, res) => {
    const world = req.query.world ?? req.query.worldId;
    if (world !== undefined && !EntityId.safeParse(world).success) throw new AppError(ErrorCode.BAD_REQUEST, 'world must be a world id.');
    if (world !== undefined) {
      await requireWorld(access, res, world as string, 'read');
      res.json({ sessions: neural.listSessions(world as string) });
      return;
    }
    // across worlds: only those the caller may see
    const sessions = neural.listSessions();
    const seen = new Map<string, boolean>();
    for (const id of new Set(sessions.map((s) => s.worldId))) {
      const record = await store.getWorld(id);
      seen.set(id, !!record && (await access.visible([record], whoIs(res))).length > 0);
    }
    res.json({ sessions: sessions.filter((s) => seen.get(s.worldId)) });
  });

  r.post('/commands', async (req, res) => {
    const who = caller(res);
    if (who.kind !== 'key') throw new AppError(ErrorCode.UNAUTHORIZED, 'A device bridge sends commands with an API key (x-api-key) that has the neural:write scope.', 401);
    if (!who.scopes.includes('neural:write')) throw new AppError(ErrorCode.UNAUTHORIZED, 'This API key lacks the neural:write scope.', 403);
    const input = BridgeCommand.safeParse(req.body);
    if (!input.success) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid command: ${describeIssues(input.error)}`);
    const cmd = input.data;
    if (cmd.userId !== undefined && cmd.userId !== who.userId) {
      throw new AppError(ErrorCode.NEURAL_NOT_PERMITTED, 'A bridge may speak only for the owner of its API key.', 403);
    }
    if (!(await store.getWorld(cmd.worldId))) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${cmd.worldId}".`, 404);
    // the key's owner answers runs only where their role lets them, as in the world itself
    const { role } = await requireWorld(access, res, cmd.worldId, 'neuralCommand');
    const result = await neural.command({
      worldId: cmd.worldId,
      who: { name: who.username, userId: who.userId, role },
      command: cmd.command,
      confidence: cmd.confidence,
      source: cmd.source,
      ...(cmd.runId ? { runId: cmd.runId } : {}),
    });
    if (!result.ok) throw new AppError(result.code, result.message, REFUSAL_STATUS[result.code] ?? 400);
    res.json({ accepted: true, runIds: result.runIds });
  });
  return r;
}
