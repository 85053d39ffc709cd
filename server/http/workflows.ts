/** REST routes for workflows (/api/v3/workflows) and their runs (/api/v3/runs). */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import { STEP_KIND } from '../../shared/model/stepKinds';
import type { RunEngine } from '../workflows/engine/Engine';
import type { RunRecord } from '../workflows/engine/runMachine';
import { TERMINAL_RUN } from '../workflows/engine/runMachine';
import type { StepRegistry } from '../workflows/steps';
import { WORKFLOW_TEMPLATES } from '../workflows/templates';
import type { WorkflowService } from '../workflows/WorkflowService';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import { AppError } from '../errors';
import { runUsage } from '../ai/usage';
import type { WorldAccess, Who } from '../access/WorldAccess';
import { requireWorld, who } from './access';
import type { WorkflowQuota } from './workflowQuota';

export interface WorkflowRouteDeps {
  workflows: WorkflowService;
  store: WorkflowStore;
  engine: RunEngine;
  registry: StepRegistry;
  access: WorldAccess;
  /** Runs per minute per caller, and what guests may do. */
  quota: WorkflowQuota;
}

type Res = express.Response;
type Action = 'read' | 'editWorkflows';

/**
 * Whether the caller may use a workflow that stands in no world: it is its owner's alone (and
 * administrators'). One stored before owners were kept has none, so only administrators may use it.
 */
function refuseWorldless(access: WorldAccess, caller: Who, workflow: WorkflowRecord): AppError | null {
  if (caller && (access.isAdmin(caller) || (workflow.ownerId && workflow.ownerId === caller.userId))) return null;
  if (!workflow.ownerId) {
    return new AppError(ErrorCode.FORBIDDEN, 'This workflow stands in no world and has no owner (it was made before workflows had owners): only an administrator may use it. Make it again inside a world.', 403);
  }
  if (!caller) return new AppError(ErrorCode.UNAUTHORIZED, 'This workflow stands in no world and belongs to an account: sign in as that account to use it.', 401);
  return new AppError(ErrorCode.FORBIDDEN, 'This workflow stands in no world and belongs to another account.', 403);
}

/** Checks the caller's role in the world a workflow stands in, or that it is theirs when it stands in none. */
async function guardWorkflow(d: WorkflowRouteDeps, res: Res, workflowId: string, action: Action): Promise<void> {
  const workflow = await d.store.getWorkflow(String(workflowId).slice(0, 64));
  if (!workflow) return; // the route answers 404
  if (workflow.worldId) {
    await requireWorld(d.access, res, workflow.worldId, action);
    return;
  }
  const refusal = refuseWorldless(d.access, who(res), workflow);
  if (refusal) throw refusal;
}

/** A run is the business of whoever may use its workflow; one whose workflow was deleted, of administrators only. */
async function guardRun(d: WorkflowRouteDeps, res: Res, runId: string, action: Action): Promise<RunRecord> {
  const run = await runOr404(d.store, runId);
  if (!(await d.store.getWorkflow(run.workflowId)) && !d.access.isAdmin(who(res))) {
    throw new AppError(ErrorCode.FORBIDDEN, 'The workflow of this run was deleted: only an administrator may see or change its runs.', 403);
  }
  await guardWorkflow(d, res, run.workflowId, action);
  return run;
}

const ApprovalInput = z.strictObject({
  step: z.string().min(1).max(40).optional(),
  approved: z.boolean(),
  /** Taken so older scripts keep working, and ignored: the approver recorded is always the caller. */
  by: z.unknown().optional(),
  comment: z.string().max(1000).default(''),
});

async function runOr404(store: WorkflowStore, id: string): Promise<RunRecord> {
  const run = await store.getRun(id);
  if (!run) throw new AppError(ErrorCode.NOT_FOUND, `There is no run "${id.slice(0, 64)}".`, 404);
  return run;
}

export function workflowRoutes(deps: WorkflowRouteDeps): Router {
  const { workflows, store, registry, access } = deps;
  const r = express.Router({ caseSensitive: true });
  const author = (res: Res) => who(res)?.username ?? 'guest';

  r.get('/templates', (_req, res) => {
    res.json({ templates: WORKFLOW_TEMPLATES.map(({ id, title, definition }) => ({ id, title, description: definition.description, definition })) });
  });
  r.get('/steps', (_req, res) => {
    res.json({ steps: registry.describe() });
  });
  r.get('/', async (req, res) => {
    const world = typeof req.query.world === 'string' ? req.query.world : undefined;
    if (world) await requireWorld(access, res, world, 'read');
    const all = await workflows.list(world);
    // without a world, only the caller's own workflows in no world and those in worlds they may see
    const seen = new Map<string, boolean>();
    const visible = [];
    for (const w of all) {
      if (w.worldId && !seen.has(w.worldId)) seen.set(w.worldId, await requireWorld(access, res, w.worldId, 'read').then(() => true, () => false));
      if (w.worldId ? seen.get(w.worldId) : !refuseWorldless(access, who(res), w)) visible.push(w);
    }
    res.json({ workflows: visible });
  });
  r.post('/', async (req, res) => {
    const worldId = (req.body as { worldId?: unknown } | undefined)?.worldId;
    if (typeof worldId === 'string') await requireWorld(access, res, worldId, 'editWorkflows');
    res.status(201).json(await workflows.create(req.body, author(res), who(res)?.userId ?? null));
  });
  r.get('/:id', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'read');
    res.json(await workflows.view(req.params.id));
  });
  r.put('/:id', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'editWorkflows');
    res.json(await workflows.update(req.params.id, req.body, author(res)));
  });
  r.delete('/:id', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'editWorkflows');
    await workflows.remove(req.params.id);
    res.status(204).end();
  });
  r.get('/:id/versions', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'read');
    res.json({ versions: await workflows.versions(req.params.id) });
  });
  r.post('/:id/rollback', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'editWorkflows');
    res.json(await workflows.rollback(req.params.id, (req.body as { version?: unknown } | undefined)?.version));
  });
  r.put('/:id/schedule', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'editWorkflows');
    deps.quota.setSchedule(res, req.body?.schedule ?? null);
    res.json(await workflows.setSchedule(req.params.id, req.body?.schedule ?? null));
  });
  r.get('/:id/runs', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'read');
    await workflows.get(req.params.id);
    res.json({ runs: await store.listRuns(req.params.id) });
  });
  r.post('/:id/runs', async (req, res) => {
    await guardWorkflow(deps, res, req.params.id, 'editWorkflows');
    await deps.quota.startRuns(req, res, workflows.runsRequested(req.body));
    const runs = await workflows.startRuns(req.params.id, req.body);
    res.status(201).json(runs.length === 1 && !(req.body as { inputs?: unknown })?.inputs ? { run: runs[0] } : { runs });
  });
  return r;
}

export function runRoutes(deps: WorkflowRouteDeps): Router {
  const { engine } = deps;
  const r = express.Router({ caseSensitive: true });

  r.get('/:id', async (req, res) => {
    const run = await guardRun(deps, res, req.params.id, 'read');
    // what the run's AI steps used, summed, so the cost of a run can be read in one place
    res.json({ run, usage: runUsage(run.steps) });
  });

  r.post('/:id/cancel', async (req, res) => {
    await guardRun(deps, res, req.params.id, 'editWorkflows');
    res.json({ run: await engine.cancel(req.params.id) });
  });

  r.post('/:id/approve', async (req, res) => {
    const input = ApprovalInput.safeParse(req.body);
    if (!input.success) throw new AppError(ErrorCode.BAD_REQUEST, 'Send { "approved": true|false, "comment"?: "…" }.', 400);
    const run = await guardRun(deps, res, req.params.id, 'editWorkflows');
    const waiting = input.data.step ?? run.steps.find((s) => s.status === 'waiting')?.stepId;
    if (!waiting) throw new AppError(ErrorCode.CONFLICT, 'This run is not waiting for an approval.', 409);
    // a guest has no name over REST; a token or an API key answers as its account
    const answer = { approved: input.data.approved, comment: input.data.comment, by: who(res)?.username ?? 'guest' };
    const updated = await engine.signal(run.id, waiting, answer, STEP_KIND.APPROVAL);
    if (!updated) throw new AppError(ErrorCode.CONFLICT, `Step "${waiting}" cannot take an answer now.`, 409);
    res.json({ run: updated });
  });

  /** Server-Sent Events: the run now, then every change until it finishes. */
  r.get('/:id/events', async (req, res) => {
    const run = await guardRun(deps, res, req.params.id, 'read');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (r: RunRecord) => res.write(`event: run\ndata: ${JSON.stringify(r)}\n\n`);
    send(run);
    if (TERMINAL_RUN.has(run.status)) {
      res.end();
      return;
    }
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const off = engine.watchRuns((r) => {
      if (r.id !== run.id) return;
      send(r);
      if (TERMINAL_RUN.has(r.status)) close();
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      off();
      clearInterval(keepAlive);
      res.end();
    };
    // the response closes when the client goes away
    res.on('close', close);
  });
  return r;
}
