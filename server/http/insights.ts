/**
 * What a world's owner may see of its use, under /api/v3/analytics beside the administrators'
 * series: which worlds and workflows they may look at (`/overview`, `/workflows`), one world's
 * people, sessions and runs (`/worlds/:id`), and where a workflow loses time (`/workflows/:id`).
 * Owners see their own worlds and the workflows in them (and those in no world they made);
 * administrators see everything, and the site's busiest worlds and hours (`/usage`).
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode, describeIssues } from '../../shared/protocol';
import type { WorldAccess, Who } from '../access/WorldAccess';
import type { Store } from '../adapters/storage/Store';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import { DAY_MS } from '../analytics/Analytics';
import type { Usage } from '../analytics/Usage';
import { AppError } from '../errors';
import { adminOnly, requireWorld, who } from './access';

export interface InsightDeps {
  usage: Usage;
  access: WorldAccess;
  store: Pick<Store, 'listWorlds' | 'getWorld'>;
  workflows: Pick<WorkflowStore, 'getWorkflow' | 'listWorkflows'>;
}

/** The most worlds or workflows a list answers with. */
const MAX_LISTED = 500;
const MAX_DAYS = 90;

const Range = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  days: z.coerce.number().int().min(1).max(MAX_DAYS).optional(),
});

/** [from, to) from `from`/`to` (ISO) or the last `days` (7 by default), at most MAX_DAYS long. */
function rangeOf(query: unknown): { from: number; to: number } {
  const q = Range.safeParse(query);
  if (!q.success) throw new AppError(ErrorCode.BAD_REQUEST, `Ask with from and to as ISO times, or days=1…${MAX_DAYS}: ${describeIssues(q.error)}`, 400);
  const to = q.data.to ? Date.parse(q.data.to) : Date.now();
  const from = q.data.from ? Date.parse(q.data.from) : to - (q.data.days ?? 7) * DAY_MS;
  if (from >= to) throw new AppError(ErrorCode.BAD_REQUEST, '`from` must come before `to`.', 400);
  if (to - from > MAX_DAYS * DAY_MS) throw new AppError(ErrorCode.BAD_REQUEST, `A range may span at most ${MAX_DAYS} days.`, 400);
  return { from, to };
}

function signedIn(caller: Who): NonNullable<Who> {
  if (!caller) throw new AppError(ErrorCode.UNAUTHORIZED, 'Sign in to see how your worlds are used.', 401);
  return caller;
}

export function insightRoutes(d: InsightDeps): Router {
  const router = express.Router({ caseSensitive: true });

  /** The worlds `caller` owns (all, for an administrator), at most MAX_LISTED. */
  const ownedWorlds = async (caller: NonNullable<Who>) => {
    const worlds = await d.store.listWorlds();
    if (d.access.isAdmin(caller)) return worlds.slice(0, MAX_LISTED);
    // only a world's maker owns it (invites give editor or viewer): the role table confirms it for
    // those, so listing costs no member lookup per world of the site
    const owned = [];
    for (const w of worlds) {
      if (w.ownerId !== caller.userId) continue;
      if ((await d.access.roleIn(w, caller)) === 'owner') owned.push(w);
      if (owned.length >= MAX_LISTED) break;
    }
    return owned;
  };

  /** The workflow, if `caller` may see its insights: an administrator, its world's owner, or its owner when in no world. */
  const viewable = async (res: express.Response, id: string): Promise<WorkflowRecord> => {
    const caller = signedIn(who(res));
    const workflow = await d.workflows.getWorkflow(id.slice(0, 64));
    if (!workflow) throw new AppError(ErrorCode.NOT_FOUND, 'There is no such workflow.', 404);
    if (d.access.isAdmin(caller)) return workflow;
    if (workflow.worldId) await requireWorld(d.access, res, workflow.worldId, 'viewStats');
    else if (workflow.ownerId !== caller.userId) throw new AppError(ErrorCode.FORBIDDEN, 'Only the owner of a workflow in no world, or an administrator, may see how it runs.', 403);
    return workflow;
  };

  router.get('/overview', async (_req, res) => {
    const caller = signedIn(who(res));
    const worlds = await ownedWorlds(caller);
    res.setHeader('cache-control', 'no-store');
    res.json({ admin: d.access.isAdmin(caller), worlds: worlds.map((w) => ({ id: w.id, name: w.name })) });
  });

  router.get('/usage', adminOnly(d.access, 'the site-wide usage figures'), async (req, res) => {
    const { from, to } = rangeOf(req.query);
    res.setHeader('cache-control', 'no-store');
    res.json(await d.usage.site(from, to));
  });

  router.get('/worlds/:id', async (req, res) => {
    const { world } = await requireWorld(d.access, res, String(req.params.id), 'viewStats');
    res.setHeader('cache-control', 'no-store');
    res.json(await d.usage.world(world.id, world.name));
  });

  router.get('/workflows', async (_req, res) => {
    const caller = signedIn(who(res));
    const worlds = await ownedWorlds(caller);
    const listed: Array<{ id: string; name: string; worldId: string | null; worldName: string | null }> = [];
    for (const w of worlds) {
      for (const wf of await d.workflows.listWorkflows(w.id)) listed.push({ id: wf.id, name: wf.name, worldId: w.id, worldName: w.name });
      if (listed.length >= MAX_LISTED) break;
    }
    if (listed.length < MAX_LISTED) {
      // workflows in no world: an administrator sees all, anyone else their own
      const admin = d.access.isAdmin(caller);
      for (const wf of await d.workflows.listWorkflows()) {
        if (!wf.worldId && (admin || wf.ownerId === caller.userId)) listed.push({ id: wf.id, name: wf.name, worldId: null, worldName: null });
      }
    }
    res.setHeader('cache-control', 'no-store');
    res.json({ workflows: listed.slice(0, MAX_LISTED) });
  });

  router.get('/workflows/:id', async (req, res) => {
    const workflow = await viewable(res, String(req.params.id));
    const { from, to } = rangeOf(req.query);
    const { insight, runsRead, truncated } = await d.usage.workflow(workflow, from, to);
    res.setHeader('cache-control', 'no-store');
    res.json({ workflow: { id: workflow.id, name: workflow.name, worldId: workflow.worldId }, from: new Date(from).toISOString(), to: new Date(to).toISOString(), runsRead, truncated, ...insight });
  });
  return router;
}
