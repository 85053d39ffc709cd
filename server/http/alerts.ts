/**
 * `/api/v3/alerts`, for administrators only (an API key of theirs needs metrics:read): the rules
 * (list, create, change, delete, silence), the alerts firing now, acknowledging one, and the history
 * of what alerts did, newest first.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import type { WorldAccess } from '../access/WorldAccess';
import type { Alerts } from '../alerts/Alerts';
import { issues, RulePatch } from '../alerts/rules';
import { AppError } from '../errors';
import { adminOnly, who } from './access';

const MAX_HISTORY = 500;
const Silence = z.strictObject({ minutes: z.number().int().min(0).max(30 * 24 * 60, 'at most 30 days (43200)') });
const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_HISTORY).default(100) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `${what}: ${issues(parsed.error)}`, 400);
  return parsed.data;
}

export function alertRoutes(alerts: Alerts, access: WorldAccess): Router {
  const router = express.Router({ caseSensitive: true });
  router.use(adminOnly(access, 'the alerts'));
  router.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  router.get('/rules', async (_req, res) => {
    res.json({ rules: await alerts.listRules() });
  });

  router.post('/rules', async (req, res) => {
    res.status(201).json({ rule: await alerts.createRule(req.body) });
  });

  router.patch('/rules/:id', async (req, res) => {
    const patch = parse(RulePatch, req.body, 'Send the fields to change as a JSON object');
    res.json({ rule: await alerts.updateRule(String(req.params.id), patch) });
  });

  router.delete('/rules/:id', async (req, res) => {
    await alerts.deleteRule(String(req.params.id));
    res.status(204).end();
  });

  router.post('/rules/:id/silence', async (req, res) => {
    const { minutes } = parse(Silence, req.body, 'Say for how many minutes, as { "minutes": n } (0 lifts the silence)');
    res.json({ rule: await alerts.silence(String(req.params.id), minutes) });
  });

  router.get('/active', async (_req, res) => {
    res.json({ alerts: await alerts.active() });
  });

  router.get('/history', async (req, res) => {
    const { limit } = parse(HistoryQuery, req.query, `Ask for at most ${MAX_HISTORY} entries`);
    res.json({ entries: await alerts.history(limit) });
  });

  router.post('/:alertId/ack', async (req, res) => {
    // adminOnly let only a signed-in administrator this far
    res.json({ alert: await alerts.acknowledge(String(req.params.alertId), who(res)!.username) });
  });
  return router;
}
