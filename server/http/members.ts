/**
 * A world's members and invite links over REST, under /api/v3/worlds/:id: list members, change a
 * role, remove someone; list, create and revoke invites; accept one as the signed-in caller.
 * Everything but listing members and accepting is for the owner (and administrators).
 */
import express, { type Router } from 'express';
import type { WorldAccess } from '../access/WorldAccess';
import { who } from './access';

export function memberRoutes(access: WorldAccess): Router {
  const r = express.Router({ mergeParams: true, caseSensitive: true });
  const world = (req: express.Request) => String((req.params as { id?: string }).id ?? '').slice(0, 64);
  // each call checks the caller's role itself; once it passes, the request's audit entry is filed under the world
  const checked = async <T>(req: express.Request, res: express.Response, call: (worldId: string) => Promise<T>): Promise<T> => {
    const out = await call(world(req));
    res.locals.auditWorld = world(req);
    return out;
  };

  r.get('/members', async (req, res) => {
    res.json({ members: await checked(req, res, (id) => access.listMembers(id, who(res))) });
  });
  r.put('/members/:userId', async (req, res) => {
    res.json({ member: await checked(req, res, (id) => access.changeRole(id, who(res), req.params.userId, req.body)) });
  });
  r.delete('/members/:userId', async (req, res) => {
    await checked(req, res, (id) => access.removeMember(id, who(res), req.params.userId));
    res.status(204).end();
  });
  r.get('/invites', async (req, res) => {
    res.json({ invites: await checked(req, res, (id) => access.listInvites(id, who(res))) });
  });
  r.post('/invites', async (req, res) => {
    const made = await checked(req, res, (id) => access.createInvite(id, who(res), req.body));
    // the answer holds the only copy of the link's secret
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(made);
  });
  r.post('/invites/accept', async (req, res) => {
    const { world: w, member } = await checked(req, res, (id) => access.acceptInvite(id, who(res), (req.body as { token?: unknown } | undefined)?.token));
    res.json({ world: w, member });
  });
  r.delete('/invites/:inviteId', async (req, res) => {
    await checked(req, res, (id) => access.revokeInvite(id, who(res), req.params.inviteId));
    res.status(204).end();
  });
  return r;
}
