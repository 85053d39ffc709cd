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
  const world = (req: express.Request, res: express.Response) => {
    const id = String((req.params as { id?: string }).id ?? '').slice(0, 64);
    res.locals.auditWorld = id;
    return id;
  };

  r.get('/members', async (req, res) => {
    res.json({ members: await access.listMembers(world(req, res), who(res)) });
  });
  r.put('/members/:userId', async (req, res) => {
    res.json({ member: await access.changeRole(world(req, res), who(res), req.params.userId, req.body) });
  });
  r.delete('/members/:userId', async (req, res) => {
    await access.removeMember(world(req, res), who(res), req.params.userId);
    res.status(204).end();
  });
  r.get('/invites', async (req, res) => {
    res.json({ invites: await access.listInvites(world(req, res), who(res)) });
  });
  r.post('/invites', async (req, res) => {
    // the answer holds the only copy of the link's secret
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await access.createInvite(world(req, res), who(res), req.body));
  });
  r.post('/invites/accept', async (req, res) => {
    const { world: w, member } = await access.acceptInvite(world(req, res), who(res), (req.body as { token?: unknown } | undefined)?.token);
    res.json({ world: w, member });
  });
  r.delete('/invites/:inviteId', async (req, res) => {
    await access.revokeInvite(world(req, res), who(res), req.params.inviteId);
    res.status(204).end();
  });
  return r;
}
