/**
 * The page for one world: joins it, shows the 3D view with its overlay (uploads, note dialogs), and
 * says clearly what went wrong when joining fails or the connection goes away.
 */
import { JoinError, WorldSession } from '../net/session';
import { NoWebGLError, WorldView } from '../scene/WorldView';
import type { WorldProbe } from '../scene/testHook';
import { h, replaceChildren } from './dom';
import { createHud, type HudPerson } from './hud';
import { savedColour, savedName } from './identity';
import { closeNoteDialog, openNoteDialog } from './noteDialog';
import { toast } from './toast';
import { mountUploads, type Uploads } from './uploads';
import { mountXrControls } from '../xr/xrControls';
import { CLOSE_REMOVED, CLOSE_SIGNED_OUT, ErrorCode, ServerEvent, type RoleChange } from '../../shared/protocol';
import { membersPanel } from './membersPanel';
import { allowed, explainRefusal, type WorldAction, type WorldRole } from '../../shared/model/roles';
import { mountNeuralInput, type NeuralInput } from '../neural/ui/neuralInput';
import { inBackground } from './background';

export interface WorldPageOptions {
  worldId: string;
  backToLobby(): void;
  /** Called with the probe once the view exists, and with null when it goes. */
  setProbe(probe: WorldProbe | null): void;
}

/** Mounts the world page; returns a function that leaves the world and tears the view down. */
export function mountWorldPage(root: HTMLElement, opts: WorldPageOptions): () => void {
  let unmounted = false;
  let session: WorldSession | null = null;
  let view: WorldView | null = null;
  let uploads: Uploads | null = null;
  let neural: NeuralInput | null = null;
  let hintWatch: ReturnType<typeof setInterval> | null = null;

  const teardown = async () => {
    opts.setProbe(null);
    if (hintWatch !== null) clearInterval(hintWatch);
    hintWatch = null;
    closeNoteDialog();
    uploads?.dispose();
    uploads = null;
    neural?.dispose();
    neural = null;
    view?.dispose();
    view = null;
    const leaving = session;
    session = null;
    await leaving?.leave();
  };
  const goBack = () => inBackground(teardown().then(() => opts.backToLobby()), 'Leaving the world');

  const canvas = h('canvas', { class: 'world-canvas', 'data-testid': 'world-canvas', 'aria-label': '3D view of the world', tabindex: '0' });
  const status = h('div', { class: 'overlay', role: 'status' }, h('p', {}, 'Joining the world…'));
  /** Whether this person's role allows `what`; if not, says why (from the same table the server uses). */
  const may = (what: WorldAction | 'noteAdd'): boolean => {
    const role = (session?.state.participants.get(session.sessionId)?.role ?? 'editor') as WorldRole;
    if (allowed(role, what)) return true;
    toast(explainRefusal(role, what), 'error');
    return false;
  };
  const hud = createHud({
    leave: goBack,
    upload: (files) => {
      if (view && uploads && may('editDocuments')) uploads.upload(files, view.placementInFront());
    },
    noteMode: (on) => {
      if (!on || may('noteAdd')) view?.setNoteMode(on);
    },
  });
  // the overlay describes a world we are in; until then (or if joining fails) it would only confuse
  hud.element.hidden = true;
  const page = h('div', { class: 'world-page' }, canvas, hud.element, status);
  replaceChildren(root, page);

  const fail = (message: string) => {
    inBackground(teardown(), 'Leaving the world');
    const back = h('button', { type: 'button', 'data-testid': 'back-to-lobby' }, 'Back to the lobby');
    back.addEventListener('click', goBack);
    replaceChildren(status, h('p', { class: 'error', 'data-testid': 'world-error' }, message), back);
    hud.element.hidden = true;
    status.hidden = false;
  };

  const start = async () => {
    const joined = await WorldSession.join({ worldId: opts.worldId, name: savedName(), colour: savedColour(), device: 'desktop' });
    if (unmounted) return void joined.leave();
    session = joined;
    await joined.whenPresent();
    if (unmounted) return;
    view = new WorldView(canvas, joined, {
      notify: (m) => toast(m, 'error'),
      noteModeChanged: (on) => hud.setNoteMode(on),
      obstacles: () => hud.obstacles(),
      requestNote: (target, at) => {
        inBackground(openNoteDialog({ heading: `New note on page ${target.page}`, deletable: false, at }).then((result) => {
          if (result?.action === 'save') joined.addNote({ ...target, text: result.text, colour: result.colour });
        }), 'Adding the note');
      },
      openNote: (noteId, at) => {
        const note = joined.state.annotations.get(noteId);
        if (!note) return;
        inBackground(openNoteDialog({ heading: `Note by ${note.author || 'someone'}`, text: note.text, colour: note.colour, deletable: true, at }).then((result) => {
          if (result?.action === 'delete') joined.deleteNote(noteId);
          else if (result?.action === 'save' && (result.text !== note.text || result.colour !== note.colour)) {
            joined.editNote(noteId, { text: result.text, colour: result.colour });
          }
        }), 'Opening the note');
      },
    });
    const worldView = view;
    // the hint steps aside while a page control is under it, so no button is ever covered
    hintWatch = setInterval(() => {
      const hint = hud.hintRect();
      hud.setHintAside(hint !== null && worldView.controlUnder(hint));
    }, 250);
    uploads = mountUploads({ worldId: opts.worldId, canvas, highlight: page, placeAt: (x, y) => worldView.placementAt(x, y) });
    hud.add(uploads.element);
    hud.add(mountXrControls(worldView.xr, (m) => toast(m, 'error')));
    page.append(worldView.xr.overlay);
    neural = mountNeuralInput({ session: joined, xr: worldView.xr, notify: (m) => toast(m, 'error') });
    hud.add(neural.element);
    // refusals of grabs and moves are explained by the drag controller; these are the rest
    joined.onIntentError((e) => {
      if (e.intent === 'page' || e.intent === 'noteAdd' || e.intent === 'noteEdit' || e.intent === 'noteDelete') toast(e.message, 'error');
      else if (e.code === ErrorCode.FORBIDDEN && e.intent !== 'grab' && e.intent !== 'move') toast(e.message, 'error');
    });
    // the owner changed this person's role: it applies now, and they are told what it means
    joined.room.onMessage(ServerEvent.ROLE, (change: RoleChange) => toast(change.message));
    const members = membersPanel(opts.worldId);
    hud.add(members.element);
    opts.setProbe({ ...view.probe(), xr: () => worldView.xr.probe() });
    status.hidden = true;
    hud.element.hidden = false;
    canvas.focus();

    let lastCount = 0;
    const refresh = () => {
      const people: HudPerson[] = [];
      joined.state.participants.forEach((p, id) => people.push({ id, name: p.name, colour: p.colour, connected: p.connected, role: p.role }));
      hud.setPeople(people, joined.sessionId);
      const role = joined.state.participants.get(joined.sessionId)?.role;
      members.setOwner(role === 'owner');
      page.dataset.role = role ?? '';
      if (people.length !== lastCount) members.refresh();
      lastCount = people.length;
      hud.setWorldName(joined.state.name);
    };
    refresh();
    joined.room.onStateChange(refresh);
    joined.room.onDrop(() => toast('Connection lost. Reconnecting…', 'error'));
    joined.room.onReconnect(() => toast('Reconnected.'));
    joined.room.onLeave((code, reason) => {
      // our own leave() also ends here; only an unexpected end needs explaining
      if (unmounted || session !== joined) return;
      if (code === CLOSE_REMOVED) return fail(reason || 'The owner removed you from this world.');
      if (code === CLOSE_SIGNED_OUT) return fail(reason || 'Your sign-in has ended; sign in again to rejoin.');
      fail('The connection to the world was lost. Go back to the lobby and join again.');
    });
  };

  start().catch((err: unknown) => {
    if (unmounted) return;
    fail(err instanceof JoinError || err instanceof NoWebGLError ? err.message : 'Could not open the world. Reload the page to try again.');
  });

  return () => {
    unmounted = true;
    inBackground(teardown(), 'Leaving the world');
  };
}
