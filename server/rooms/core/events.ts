/**
 * Changes made outside the room (uploads, deletions, workflow edits, run progress, memberships,
 * ended sign-ins) as the world's core applies them.
 */
import { ServerEvent, WorldClose, type RoleChange } from '../../../shared/protocol';
import { allowed } from '../../../shared/model/roles';
import { toPropModelState } from '../propSync';
import { putTwin, twinOnline, twinReading } from '../twinSync';
import { toDocumentState } from '../stateSync';
import type { SessionEnded, WorldEvent } from '../worldEvents';
import { loadWorkflow, readPreview } from './load';
import type { CoreContext, JoinIdentity, Peer } from './types';

/** World events kept while a room opens (a busy world makes a few a second; opening takes well under one). */
export const MAX_EVENTS_WHILE_OPENING = 1000;

/**
 * Events that arrive while the room is still reading the world from the store; applied once it
 * has. A run's latest summary (or a twin's latest reading) replaces an earlier one still waiting,
 * so a busy run or a chatty device cannot crowd out the rest. False when the backlog is full and the event was dropped.
 */
export function keepWhileOpening(pending: WorldEvent[], event: WorldEvent): boolean {
  const earlier =
    event.type === 'runChanged'
      ? pending.findIndex((e) => e.type === 'runChanged' && e.run.id === event.run.id)
      : event.type === 'twinReading'
        ? pending.findIndex((e) => e.type === 'twinReading' && e.deviceId === event.deviceId)
        : -1;
  if (earlier >= 0) pending.splice(earlier, 1);
  if (pending.length >= MAX_EVENTS_WHILE_OPENING) return false;
  pending.push(event);
  return true;
}

export async function handleWorldEvent(ctx: CoreContext, event: WorldEvent): Promise<void> {
  const { state } = ctx;
  switch (event.type) {
    case 'documentAdded': {
      const next = toDocumentState(event.document, await readPreview(ctx.deps.blobs, event.document));
      const draft = state.documents.get(event.document.id);
      // a finished draft keeps its place (someone may have moved it) and takes on its content
      if (draft) Object.assign(draft, { title: next.title, kind: next.kind, mime: next.mime, size: next.size, contentHash: next.contentHash, body: next.body });
      else state.documents.set(event.document.id, next);
      return;
    }
    case 'documentDraft': {
      const draft = state.documents.get(event.document.id);
      if (draft) draft.body = event.body;
      else state.documents.set(event.document.id, toDocumentState(event.document, event.body));
      return;
    }
    case 'documentRemoved': {
      state.documents.delete(event.documentId);
      ctx.writer.forget(event.documentId);
      const notes: string[] = [];
      state.annotations.forEach((n, id) => n.documentId === event.documentId && notes.push(id));
      for (const id of notes) state.annotations.delete(id);
      return;
    }
    case 'workflowChanged':
      await loadWorkflow(ctx.deps.workflows, ctx.world.id, state, event.workflowId);
      return;
    case 'runChanged':
      ctx.applyAll([{ op: 'runProgress', run: event.run }]);
      return;
    case 'accessChanged':
      await applyAccess(ctx, event.userId, event.removed);
      return;
    case 'propModelAdded':
      if (event.model.worldId === ctx.world.id) state.propModels.set(event.model.id, toPropModelState(event.model));
      return;
    case 'twinChanged':
      if (event.twin) putTwin(state, event.twin);
      else state.twins.delete(event.deviceId);
      return;
    case 'twinReading':
      twinReading(state, event.deviceId, event.value, event.at, event.alarm);
      return;
    case 'twinOnline':
      twinOnline(state, event.deviceId, event.online);
      return;
    default: {
      const unreachable: never = event;
      ctx.log.warn({ event: unreachable }, 'unknown world event');
    }
  }
}

/** A sign-in ended: the connections opened under it close now, with the reason, and keep no seat. */
export function signOut(ctx: CoreContext, ended: SessionEnded): void {
  for (const peer of ctx.port.peers()) {
    const id = peer.identity;
    if (id?.kind !== 'user' || id.userId !== ended.userId || id.familyId !== ended.familyId) continue;
    ctx.disconnect(peer.id, WorldClose.SIGNED_OUT, 'Your sign-in has ended (signed out, or the password changed); sign in again to rejoin.', 'the sign-in ended');
  }
}

/**
 * A membership changed: the person's connected clients get their new role at once (in the state
 * and as a message saying so), or are disconnected with the reason when they were removed.
 */
async function applyAccess(ctx: CoreContext, userId: string, removed: boolean): Promise<void> {
  const peers = ctx.port.peers().filter((p): p is Peer & { identity: JoinIdentity } => p.identity?.kind === 'user' && p.identity.userId === userId);
  if (peers.length === 0) return;
  const identity = peers[0]!.identity as Extract<JoinIdentity, { kind: 'user' }>;
  const role = removed ? null : await ctx.deps.access.roleIn(ctx.world, { userId, username: identity.username });
  for (const peer of peers) {
    const p = ctx.state.participants.get(peer.id);
    if (!role) {
      ctx.disconnect(peer.id, WorldClose.REMOVED, `The owner removed you from "${ctx.world.name}".`, 'removed from the world by its owner');
      continue;
    }
    // the identity is the connection's own: the new role holds for whatever it does next
    peer.identity.role = role;
    if (p && p.role !== role) {
      p.role = role;
      // holding is editing: someone who may no longer edit puts down what they hold
      if (!allowed(role, 'release')) ctx.putDownAll(peer.id);
      const change: RoleChange = { role, message: role === 'viewer' ? 'You are now a viewer: you can look and talk, but not move, annotate, edit or run anything.' : `You are now ${role === 'editor' ? 'an editor' : 'the owner'}: you can move, annotate, edit and run things here.` };
      ctx.port.send(peer.id, ServerEvent.ROLE, change);
    }
  }
}
