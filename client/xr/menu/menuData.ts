/**
 * The menu's snapshot of the world, read from the room's state: who is here, which runs wait for
 * an approval, the workflows, and the document a note or run goes on (the one this person holds,
 * else the nearest to their head).
 */
import { allowed, type WorldRole } from '../../../shared/model/roles';
import type { WorldSession } from '../../net/session';
import { catalogueGroups } from '../../scene/props/propMaths';
import type { XrSettings } from '../xrSettings';
import { CHAT_ROWS, type MenuData } from './menuModel';

/** The catalogue and the world's uploaded models, for those who may place props; null for others. */
function roomCatalogue(session: WorldSession): MenuData['room'] {
  const role = session.state.participants.get(session.sessionId)?.role as WorldRole | undefined;
  if (!allowed(role, 'propAdd')) return null;
  const uploaded: { id: string; name: string }[] = [];
  session.state.propModels.forEach((m, id) => uploaded.push({ id, name: m.name }));
  return catalogueGroups(uploaded).flatMap((g) => g.items);
}

export function menuData(session: WorldSession, head: [number, number, number] | null, settings: XrSettings, neural: boolean, voice: MenuData['talk']['voice'] = null): Omit<MenuData, 'templates' | 'step'> {
  const state = session.state;
  const me = session.sessionId;
  const people: MenuData['people'] = [];
  state.participants.forEach((p, id) => people.push({ id, name: p.name, role: p.role, device: p.device, connected: p.connected, me: id === me, hand: p.hand, megaphone: p.megaphone }));
  // this person first, then by name
  people.sort((a, b) => Number(b.me) - Number(a.me) || a.name.localeCompare(b.name));

  const titles = new Map<string, string>();
  state.documents.forEach((d, id) => titles.set(id, d.title));
  const names = new Map<string, string>();
  const workflows: MenuData['workflows'] = [];
  state.workflows.forEach((w, id) => {
    names.set(id, w.name);
    workflows.push({ id, name: w.name });
  });
  workflows.sort((a, b) => a.name.localeCompare(b.name));

  const waiting: MenuData['waiting'] = [];
  state.runs.forEach((r) => {
    if (r.status !== 'waiting') return;
    const title = titles.get(r.documentId);
    waiting.push({ id: r.id, label: `${names.get(r.workflowId) ?? 'A workflow'}${title ? ` on ${title}` : ''}` });
  });

  let target: MenuData['target'] = null;
  let best = Infinity;
  state.documents.forEach((d, id) => {
    const held = d.heldBy === me;
    const distance = held ? -1 : head ? Math.hypot(d.x - head[0], d.y - head[1], d.z - head[2]) : Infinity;
    if (distance < best || !target) {
      best = distance;
      target = { id, title: d.title, page: d.page, notes: [] };
    }
  });
  const on = target as MenuData['target'];
  if (on) {
    state.annotations.forEach((n, id) => {
      if (n.documentId === on.id && n.page === on.page) on.notes.push({ id, text: n.text, author: n.author });
    });
  }
  const talk = { voice, hand: state.participants.get(me)?.hand ?? false, chat: session.social.messages.slice(-CHAT_ROWS).map((m) => ({ name: m.name, text: m.text })) };
  return { people, waiting, workflows, target, settings, neural, room: roomCatalogue(session), talk };
}
