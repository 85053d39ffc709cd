/**
 * The page for one world: joins it, shows the 3D view with its overlay (uploads, note dialogs), and
 * says clearly what went wrong when joining fails or the connection goes away.
 */
import { JoinError, WorldSession } from '../net/session';
import { connectionEnd, isFinalRefusal, keepTrying } from '../net/rejoin';
import { MicrophoneRefused, type VoiceChat } from '../voice/VoiceChat';
import { NoWebGLError, WorldView } from './WorldView';
import type { WorldProbe } from '../testing/testHook';
import { h, replaceChildren } from '../ui/kit/dom';
import { createHud, type HudPerson } from '../ui/hud';
import { joinName, savedColour } from '../ui/identity';
import { closeNoteDialog, openNoteDialog } from '../ui/noteDialog';
import { toast } from '../ui/kit/toast';
import { mountUploads, type Uploads } from '../ui/uploads';
import { mountXrControls } from '../xr/xrControls';
import { mountXrMenu } from '../xr/menu/mountXrMenu';
import { ErrorCode, ServerEvent, type AlertNotice, type RoleChange } from '../../shared/protocol';
import { membersPanel } from '../ui/membersPanel';
import { statsPanel } from '../ui/statsPanel';
import { worldStatsFeed } from '../dashboard/worldStatsFeed';
import { allowed, explainRefusal, type WorldAction, type WorldRole } from '../../shared/model/roles';
import { mountNeuralInput, type NeuralInput } from '../neural/ui/neuralInput';
import { inBackground } from '../ui/kit/background';
import { lookOrDefault, saveLook, savedLook, syncAccountLook } from '../net/look';
import { openLookDialog } from '../ui/lookEditor';
import { currentAccount } from '../net/account';
import { mountWorldEditor, type WorldEditorUi } from '../ui/worldEditor';
import { isCatalogueKind, PROP_CATALOGUE } from '../../shared/model/props';
import { createChatPanel } from '../ui/chatPanel';
import { isTextEntry } from '../scene/keyboardFocus';

/** Held, this key is push-to-talk (outside text fields). */
const PUSH_TO_TALK_KEY = 'KeyV';

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
  let dropXrMenu: (() => void) | null = null;
  let editor: WorldEditorUi | null = null;
  let hintWatch: ReturnType<typeof setInterval> | null = null;
  let voice: VoiceChat | null = null;
  /** What the current view added to the overlay; it goes with the view. */
  let viewParts: HTMLElement[] = [];
  /** True from a lost connection until this page is back in the world. */
  let away = false;
  let rejoining = false;

  /** Takes down what belongs to one session's view; the page, HUD and members panel stay. */
  const dropView = () => {
    opts.setProbe(null);
    if (hintWatch !== null) clearInterval(hintWatch);
    hintWatch = null;
    closeNoteDialog();
    uploads?.dispose();
    uploads = null;
    dropXrMenu?.();
    dropXrMenu = null;
    editor?.dispose();
    editor = null;
    editing = false;
    neural?.dispose();
    neural = null;
    // the view hangs up its calls as it goes
    voice = null;
    hud.setVoice('listening');
    hud.setInputs([], null);
    for (const part of viewParts) part.remove();
    viewParts = [];
    view?.dispose();
    view = null;
  };
  const teardown = async () => {
    dropView();
    const leaving = session;
    session = null;
    await leaving?.leave();
  };
  const goBack = () => inBackground(teardown().then(() => opts.backToLobby()), 'Leaving the world');

  const canvas = h('canvas', { class: 'world-canvas', 'data-testid': 'world-canvas', 'aria-label': '3D view of the world', tabindex: '0' });
  const status = h('div', { class: 'overlay', role: 'status' }, h('p', {}, 'Joining the world…'));
  /** Whether this person's role allows `what`; if not, says why (from the same table the server uses). */
  const may = (what: WorldAction | 'noteAdd' | 'megaphone' | 'muteAll'): boolean => {
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
    voice: () => voiceButton(),
    input: (deviceId) => {
      const v = voice;
      if (v) inBackground(v.useInput(deviceId).then(showVoice).catch(micFailed), 'Changing the microphone');
    },
    goTo: (id) => {
      if (view && !view.goTo(id)) toast('That person is not in view here yet; try again in a moment.', 'error');
    },
    megaphone: (id, on) => {
      if (may('megaphone')) session?.setMegaphone(id, on);
    },
    muteAll: () => {
      if (!may('muteAll')) return;
      session?.muteAll();
      toast('Everyone else is muted. Each person can unmute when they want to speak.');
    },
    look: () =>
      openLookDialog(lookOrDefault(savedColour()), (look) => {
        session?.setLook(look);
        inBackground(saveLook(look).catch(() => toast('Your look is used here but could not be kept with your account. Try again later.', 'error', 'look')), 'Keeping the look');
      }),
  });
  /** Talk, mute or unmute, by what the voice button shows (the page's button and the headset menu's). */
  const voiceButton = () => {
    const v = voice;
    if (!v) return;
    if (v.state !== 'listening') {
      v.setMuted(v.state === 'talking');
      showVoice();
      return;
    }
    inBackground(v.talk().then(showVoice).catch(micFailed), 'Starting the microphone');
  };
  const micFailed = (err: unknown) => toast(err instanceof MicrophoneRefused ? err.message : 'The microphone could not be started.', 'error', 'voice');
  /** The voice button and the microphone choice, as the voice is now. */
  const showVoice = () => {
    const v = voice;
    if (!v) return;
    hud.setVoice(v.state);
    if (v.state === 'listening') return hud.setInputs([], null);
    inBackground(v.inputs().then((list) => hud.setInputs(list, v.input)), 'Listing the microphones');
  };
  // one panel for the page's whole life, so that a rejoin leaves it as open as it was
  const members = membersPanel(opts.worldId);
  hud.add(members.element);
  // the owner's figures: the page's Stats panel and the headset menu's Stats tab read the same feed
  const statsFeed = worldStatsFeed(opts.worldId);
  const stats = statsPanel(statsFeed);
  hud.add(stats.element);
  // the chat too: what was said stays on the page through a rejoin
  const chat = createChatPanel(
    {
      say: (text) => session?.say(text),
      react: (reaction) => session?.react(reaction),
      raiseHand: (raised) => session?.raiseHand(raised),
    },
    { openAtStart: window.matchMedia('(min-width: 601px)').matches },
  );
  hud.add(chat.element);
  /** The world editor's panel opens where the chat is, and a page read up close takes the view: the chat steps aside for both. */
  let editing = false;
  const showChat = () => {
    const hidden = editing || (view?.reading ?? false);
    if (chat.element.hidden !== hidden) chat.element.hidden = hidden;
  };
  /** Push to talk: held outside a text field, the microphone is live. */
  const pushToTalk = (e: KeyboardEvent) => {
    if (e.code !== PUSH_TO_TALK_KEY || e.repeat || isTextEntry(e.target as Element | null) || !voice) return;
    const v = voice;
    inBackground(v.pushToTalk(e.type === 'keydown').then(showVoice).catch(micFailed), 'Push to talk');
  };
  window.addEventListener('keydown', pushToTalk);
  window.addEventListener('keyup', pushToTalk);
  // the overlay describes a world we are in; until then (or if joining fails) it would only confuse
  hud.element.hidden = true;
  const page = h('div', { class: 'world-page' }, canvas, hud.element, status);
  replaceChildren(root, page);
  // what else lives at the bottom left (the run list) stands on top of the chat, whatever its size
  const chatTop = () => {
    const rect = chat.element.getBoundingClientRect();
    if (chat.element.hidden || hud.element.hidden || rect.height === 0) page.style.removeProperty('--chat-top');
    else page.style.setProperty('--chat-top', `${Math.round(window.innerHeight - rect.top)}px`);
  };
  const chatResized = new ResizeObserver(chatTop);
  chatResized.observe(chat.element);
  window.addEventListener('resize', chatTop);

  const fail = (message: string) => {
    away = false;
    inBackground(teardown(), 'Leaving the world');
    const back = h('button', { type: 'button', 'data-testid': 'back-to-lobby' }, 'Back to the lobby');
    back.addEventListener('click', goBack);
    replaceChildren(status, h('p', { class: 'error', 'data-testid': 'world-error' }, message), back);
    hud.element.hidden = true;
    status.hidden = false;
  };

  /** The connection is down: one quiet line while the page works on getting back. */
  const lost = () => {
    away = true;
    hud.setConnection('Reconnecting…');
  };
  const back = () => {
    hud.setConnection(null);
    if (away) toast('Back in the world.', 'info', 'connection');
    away = false;
  };

  /** A joined session, present in the state: ready for a view. */
  const join = async () => {
    // a signed-in person joins with their account's look, which another browser may have changed
    const look = currentAccount() ? await syncAccountLook().catch(() => savedLook()) : savedLook();
    const joined = await WorldSession.join({ worldId: opts.worldId, name: joinName(), colour: savedColour(), device: 'desktop', ...(look ? { look } : {}) });
    try {
      await joined.whenPresent();
    } catch (err) {
      await joined.leave();
      throw err;
    }
    return joined;
  };

  /** Joins again after a connection ended without sending this person away, until it works. */
  const rejoin = () => {
    lost();
    if (rejoining) return;
    rejoining = true;
    const attempt = keepTrying({
      attempt: join,
      isFinal: (err) => err instanceof JoinError && isFinalRefusal(err),
      cancelled: () => unmounted,
    }).then(async (joined) => {
      if (!joined) return;
      if (unmounted) return joined.leave();
      await enter(joined);
    });
    inBackground(
      attempt
        .catch((err: unknown) => {
          if (!unmounted) fail(err instanceof JoinError ? err.message : 'Could not get back into the world. Reload the page to try again.');
        })
        .finally(() => {
          rejoining = false;
        }),
      'Rejoining the world',
    );
  };

  /** Shows the world of `joined`, standing where the previous session of this page stood. */
  const enter = async (joined: WorldSession) => {
    const previous = session;
    session = joined;
    const stoodAt = previous?.lastHead;
    if (stoodAt) await joined.standAt(stoodAt);
    if (unmounted || session !== joined) return void joined.leave();
    // the old view stayed up, frozen, while reconnecting; the new one replaces it
    dropView();
    /** A prop's name, as the catalogue or its uploader calls it. */
    const propName = (propId: string | null) => {
      const kind = propId ? joined.state.props.get(propId)?.kind : undefined;
      if (!kind) return null;
      return isCatalogueKind(kind) ? PROP_CATALOGUE[kind].name : (joined.state.propModels.get(kind)?.name ?? 'Uploaded model');
    };
    view = new WorldView(canvas, joined, {
      notify: (m) => toast(m, 'error'),
      propSelected: (id) => editor?.setSelected(propName(id)),
      noteModeChanged: (on) => hud.setNoteMode(on),
      // the chat steps aside while a page is read up close (see hintWatch), so it is no obstacle
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
      hud.setSpeaking(worldView.voice.speaking());
      showChat();
    }, 250);
    uploads = mountUploads({ worldId: opts.worldId, canvas, highlight: page, placeAt: (x, y) => worldView.placementAt(x, y) });
    neural = mountNeuralInput({ session: joined, xr: worldView.xr, notify: (m) => toast(m, 'error') });
    dropXrMenu = mountXrMenu({
      xr: worldView.xr,
      session: joined,
      neural: neural.handGestures,
      chains: worldView.workflows,
      leave: goBack,
      room: { add: (kind, position, rotation) => worldView.propIntents.add(kind, position, rotation), undo: () => worldView.propIntents.undo() },
      voice: {
        state: () => worldView.voice.state,
        toggle: () => voiceButton(),
        push: (held) => inBackground(worldView.voice.pushToTalk(held).then(showVoice).catch(micFailed), 'Push to talk'),
      },
      goTo: (id) => worldView.goTo(id),
      stats: statsFeed,
    });
    editor = mountWorldEditor({
      worldId: opts.worldId,
      uploaded: () => {
        const out: { id: string; name: string }[] = [];
        joined.state.propModels.forEach((m, id) => out.push({ id, name: m.name }));
        return out;
      },
      add: (kind) => worldView.addPropAhead(kind),
      undo: () => worldView.propIntents.undo(),
      removeSelected: () => worldView.propEditor.removeSelected(),
      setEditing: (on) => {
        worldView.propEditor.setEditing(on);
        editing = on;
        showChat();
      },
    });
    viewParts = [editor.element, uploads.element, mountXrControls(worldView.xr, (m) => toast(m, 'error')), neural.element];
    // in the overlay's usual order, before the members panel that outlives the view
    members.element.before(...viewParts);
    page.append(worldView.xr.overlay);
    viewParts.push(worldView.xr.overlay);
    // refusals of grabs and moves are explained by the drag controller; these are the rest
    joined.onIntentError((e) => {
      if (e.intent === 'page' || e.intent === 'noteAdd' || e.intent === 'noteEdit' || e.intent === 'noteDelete') toast(e.message, 'error');
      else if (e.intent === 'chat' || e.intent === 'react' || e.intent === 'megaphone' || e.intent === 'muteAll' || e.intent === 'hand') toast(e.message, 'error', 'social');
      else if (e.code === ErrorCode.FORBIDDEN && e.intent !== 'grab' && e.intent !== 'move') toast(e.message, 'error');
    });
    // the owner changed this person's role: it applies now, and they are told what it means
    joined.room.onMessage(ServerEvent.ROLE, (change: RoleChange) => toast(change.message));
    // administrators hear of the server's alerts wherever they are (in a headset too: toasts show there)
    joined.room.onMessage(ServerEvent.ALERT, (notice: AlertNotice) => toast(`Alert: ${notice.message}`, notice.kind !== 'resolved' && notice.severity === 'critical' ? 'error' : 'info'));
    joined.social.onChat((messages, live) => chat.show(messages, live));
    // the host muted everyone: this microphone goes quiet, and the person hears why
    joined.social.onMuted((m) => {
      if (voice?.state === 'talking') voice.setMuted(true);
      showVoice();
      toast(m.message, 'info', 'voice');
    });
    voice = worldView.voice;
    showVoice();
    opts.setProbe(view.probe());
    status.hidden = true;
    hud.element.hidden = false;
    if (!previous) canvas.focus();

    let lastCount = 0;
    const refresh = () => {
      const people: HudPerson[] = [];
      joined.state.participants.forEach((p, id) => people.push({ id, name: p.name, colour: p.colour, connected: p.connected, role: p.role, hand: p.hand, megaphone: p.megaphone }));
      const me = joined.state.participants.get(joined.sessionId);
      const role = me?.role;
      hud.setPeople(people, joined.sessionId, role === 'owner');
      chat.setHand(me?.hand ?? false);
      members.setOwner(role === 'owner');
      statsFeed.setOwner(role === 'owner');
      editor?.setAllowed(allowed((role ?? 'viewer') as WorldRole, 'propAdd'));
      editor?.refresh();
      page.dataset.role = role ?? '';
      if (people.length !== lastCount) members.refresh();
      lastCount = people.length;
      hud.setWorldName(joined.state.name);
    };
    refresh();
    joined.room.onStateChange(refresh);
    joined.room.onDrop(lost);
    joined.room.onReconnect(back);
    joined.room.onLeave((code, reason) => {
      // our own leave() also ends here; only an unexpected end needs handling
      if (unmounted || session !== joined) return;
      const end = connectionEnd(code, reason);
      if (end.kind === 'final') fail(end.message);
      else rejoin();
    });
    back();
  };

  join()
    .then((joined) => (unmounted ? joined.leave() : enter(joined)))
    .catch((err: unknown) => {
      if (unmounted) return;
      fail(err instanceof JoinError || err instanceof NoWebGLError ? err.message : 'Could not open the world. Reload the page to try again.');
    });

  return () => {
    unmounted = true;
    stats.dispose();
    chatResized.disconnect();
    window.removeEventListener('resize', chatTop);
    window.removeEventListener('keydown', pushToTalk);
    window.removeEventListener('keyup', pushToTalk);
    inBackground(teardown(), 'Leaving the world');
  };
}
