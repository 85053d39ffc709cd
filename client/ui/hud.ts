/**
 * What floats over the 3D view: the world's name, who is here, Upload, Add note, Look, copy link, leave,
 * and a hint.
 */
import { copyText } from './kit/clipboard';
import { h, replaceChildren } from './kit/dom';
import { toast } from './kit/toast';
import { inBackground } from './kit/background';
import { pageHint, pointerKind } from './pageHint';
import { ICON_LABELS, iconUrl, type SocialIcon } from '../scene/socialIcons';

export interface HudPerson {
  id: string;
  name: string;
  colour: string;
  connected: boolean;
  /** owner, editor or viewer: shown beside the name. */
  role?: string;
  /** Their hand is raised. */
  hand?: boolean;
  /** They hold the megaphone. */
  megaphone?: boolean;
}

export interface Hud {
  element: HTMLElement;
  setWorldName(name: string): void;
  /** Who is here; `host`: this person is the owner, who hands out the megaphone and may mute everyone. */
  setPeople(people: HudPerson[], selfId: string, host?: boolean): void;
  /** Marks who is speaking now in the list. */
  setSpeaking(ids: ReadonlySet<string>): void;
  /** Shows whether the next click on a page adds a note. */
  setNoteMode(on: boolean): void;
  /** Adds something (e.g. the upload list) to the overlay. */
  add(child: HTMLElement): void;
  /** Viewport rectangles of the overlay's fixed parts (title, buttons, hint), for read mode to keep clear of. */
  obstacles(): DOMRect[];
  /** Where the hint is on screen, while it shows. */
  hintRect(): DOMRect | null;
  /** Steps the hint aside (hidden) while something that can be clicked is under it. */
  setHintAside(aside: boolean): void;
  /** A quiet line about the connection ("Reconnecting…"), or null when all is well. */
  setConnection(text: string | null): void;
  /** Shows whether this person's voice is off, live or muted. */
  setVoice(state: 'listening' | 'talking' | 'muted'): void;
  /** The microphones to choose from (shown while the microphone is on and there is a choice). */
  setInputs(inputs: Array<{ id: string; label: string }>, current: string | null): void;
}

export interface HudActions {
  leave(): void;
  upload(files: File[]): void;
  noteMode(on: boolean): void;
  /** Opens the look editor. */
  look(): void;
  /** Talk, mute or unmute, by what the voice button shows. */
  voice(): void;
  /** Uses another microphone. */
  input(deviceId: string): void;
  /** Walks over to someone. */
  goTo(participantId: string): void;
  /** The owner gives someone the megaphone or takes it back. */
  megaphone(participantId: string, on: boolean): void;
  /** The owner mutes everyone else. */
  muteAll(): void;
}

/** A small picture for a list or a button, with its words for those who do not see it. */
export function iconImage(icon: SocialIcon, label = ICON_LABELS[icon]): HTMLImageElement {
  return h('img', { class: 'icon', src: iconUrl(icon), alt: label, title: label, width: '20', height: '20' }) as HTMLImageElement;
}

/** File types the server accepts, for the file picker (the server checks the bytes anyway). */
const ACCEPT = '.md,.markdown,.txt,.text,.pdf,.png,.jpg,.jpeg,.gltf,.glb,text/markdown,text/plain,application/pdf,image/png,image/jpeg,model/gltf-binary,model/gltf+json';

export function createHud(actions: HudActions): Hud {
  const title = h('h1', { class: 'hud-title', 'data-testid': 'world-title' });
  const people = h('ul', { class: 'people', 'data-testid': 'people' });
  const connection = h('p', { class: 'connection muted', role: 'status', 'data-testid': 'connection-status', hidden: true });
  const copy = h('button', { type: 'button', 'data-testid': 'copy-link' }, 'Copy link');
  copy.addEventListener('click', () => {
    const url = location.href;
    inBackground(copyText(url).then((ok) => toast(ok ? 'Link copied. Send it to whoever should join.' : `Copy this link: ${url}`)), 'Copying the link');
  });
  const look = h('button', { type: 'button', class: 'secondary', 'data-testid': 'look-button', title: 'Change how others see you' }, 'Look');
  look.addEventListener('click', actions.look);
  const leave = h('button', { type: 'button', class: 'secondary', 'data-testid': 'leave' }, 'Leave');
  leave.addEventListener('click', actions.leave);
  const picker = h('input', { type: 'file', multiple: true, accept: ACCEPT, class: 'offscreen', 'data-testid': 'upload-input', 'aria-label': 'Choose files to upload' });
  picker.addEventListener('change', () => {
    const files = Array.from(picker.files ?? []);
    picker.value = '';
    if (files.length) actions.upload(files);
  });
  const upload = h('button', { type: 'button', 'data-testid': 'upload-button', title: 'Add a document (or drop files on the view)' }, 'Upload');
  upload.addEventListener('click', () => picker.click());
  let noteMode = false;
  const addNote = h('button', { type: 'button', class: 'secondary', 'data-testid': 'add-note', 'aria-pressed': 'false', title: 'Then click a page (or right-click a page)' }, 'Add note');
  addNote.addEventListener('click', () => actions.noteMode(!noteMode));
  const voice = h('button', { type: 'button', class: 'secondary', 'data-testid': 'voice-button', 'aria-pressed': 'false', title: 'Turn on your microphone: people near you hear you' }, 'Talk');
  voice.addEventListener('click', actions.voice);
  const inputs = h('select', { class: 'mic-choice', 'data-testid': 'mic-choice', 'aria-label': 'Microphone', title: 'Microphone', hidden: true });
  inputs.addEventListener('change', () => actions.input(inputs.value));
  const muteAll = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'mute-all', title: 'Mute every microphone but yours; each person can unmute again', hidden: true }, 'Mute all');
  muteAll.addEventListener('click', actions.muteAll);
  const panel = h('section', { class: 'hud-panel hud-left' }, title, connection, h('div', { class: 'people-head' }, h('h2', {}, 'Here now'), muteAll), people);
  // one listener for the list's buttons, which are remade as people come and go
  people.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest('button');
    const id = button?.closest('li')?.dataset.participantId;
    if (!button || !id) return;
    if (button.dataset.action === 'go-to') actions.goTo(id);
    else if (button.dataset.action === 'megaphone') actions.megaphone(id, button.getAttribute('aria-pressed') !== 'true');
  });
  const buttons = h('div', { class: 'hud-actions' }, upload, picker, addNote, voice, inputs, look, copy, leave);
  const hint = h('p', { class: 'hud-hint' }, pageHint(pointerKind((q) => window.matchMedia(q).matches)));
  const element = h('div', { class: 'hud' }, panel, buttons, hint);
  const shown = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r : null;
  };

  let lastKey = '';
  let speaking = new Set<string>();
  return {
    element,
    add(child) {
      element.append(child);
    },
    obstacles() {
      // the hint counts even while stepped aside (it keeps its place): it comes back when nothing is under it
      return element.hidden ? [] : [panel, buttons, hint].map(shown).filter((r): r is DOMRect => r !== null);
    },
    hintRect() {
      return element.hidden ? null : shown(hint);
    },
    setHintAside(aside) {
      hint.classList.toggle('aside', aside);
    },
    setVoice(state) {
      voice.textContent = state === 'listening' ? 'Talk' : state === 'talking' ? 'Mute' : 'Unmute';
      voice.title = state === 'listening' ? 'Turn on your microphone: people near you hear you' : state === 'talking' ? 'People near you hear you; mute your microphone' : 'Your microphone is muted; unmute it';
      voice.setAttribute('aria-pressed', String(state === 'talking'));
      voice.dataset.state = state;
    },
    setInputs(list, current) {
      inputs.hidden = list.length < 2 || voice.dataset.state === 'listening';
      const key = JSON.stringify([list, current]);
      if (inputs.dataset.key === key) return;
      inputs.dataset.key = key;
      replaceChildren(inputs, ...list.map((d) => h('option', { value: d.id, ...(d.id === current ? { selected: true } : {}) }, d.label)));
    },
    setConnection(text) {
      connection.textContent = text ?? '';
      connection.hidden = text === null;
    },
    setNoteMode(on) {
      noteMode = on;
      addNote.setAttribute('aria-pressed', String(on));
      addNote.textContent = on ? 'Click a page…' : 'Add note';
    },
    setWorldName(name) {
      title.textContent = name;
      document.title = `${name} · Document Workflow Chain`;
    },
    setPeople(list, selfId, host = false) {
      const sorted = [...list].sort((a, b) => Number(b.id === selfId) - Number(a.id === selfId) || Number(!!b.hand) - Number(!!a.hand) || a.name.localeCompare(b.name));
      const key = JSON.stringify([sorted, host]);
      if (key === lastKey) return;
      lastKey = key;
      muteAll.hidden = !host;
      replaceChildren(
        people,
        ...sorted.map((p) => {
          const dot = h('span', { class: 'dot' });
          dot.style.background = p.colour;
          const self = p.id === selfId;
          const megaphone = host
            ? h('button', { type: 'button', class: 'icon-button', 'data-action': 'megaphone', 'data-testid': 'give-megaphone', 'aria-pressed': String(!!p.megaphone), title: p.megaphone ? `Take the megaphone back from ${p.name}` : `Give ${p.name} the megaphone: everyone here hears them` }, iconImage('megaphone', p.megaphone ? 'Take the megaphone back' : 'Give the megaphone'))
            : p.megaphone
              ? iconImage('megaphone', `${p.name} has the megaphone`)
              : null;
          return h(
            'li',
            { class: p.connected ? '' : 'away', 'data-participant-id': p.id },
            dot,
            h('span', { class: 'person-name' }, p.name, self ? h('span', { class: 'muted' }, ' (you)') : null, p.role && p.role !== 'editor' ? h('span', { class: 'muted', 'data-testid': 'person-role' }, ` · ${p.role}`) : null,
              // a closed tab or a lost network keeps its seat a while; until it is back, it is not here
              p.connected ? null : h('span', { class: 'muted', 'data-testid': 'person-away' }, ' (away)')),
            p.hand ? h('span', { 'data-testid': 'person-hand' }, iconImage('hand', `${p.name} raised a hand`)) : null,
            megaphone,
            self || !p.connected ? null : h('button', { type: 'button', class: 'secondary small', 'data-action': 'go-to', 'data-testid': 'go-to', title: `Walk over to ${p.name}` }, 'Go to'),
          );
        }),
      );
      speaking = new Set();
    },
    setSpeaking(ids) {
      if (ids.size === speaking.size && [...ids].every((id) => speaking.has(id))) return;
      speaking = new Set(ids);
      for (const li of people.children) (li as HTMLElement).classList.toggle('speaking', speaking.has((li as HTMLElement).dataset.participantId ?? ''));
    },
  };
}
