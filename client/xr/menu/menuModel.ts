/**
 * What the in-world menu shows, as plain data: the tabs, and for the open tab its rows of text and
 * buttons, made from a snapshot of the world (people, runs waiting, workflows, the document to
 * note on, comfort settings). No Babylon here: the panel draws what this says, and the tests read it.
 */
import type { XrSettings } from '../xrSettings';
import { SNAP_CHOICES } from '../xrSettings';
import type { LookStep } from '../../../shared/model/avatarLook';
import { REACTIONS, type Reaction } from '../../../shared/protocol';

export const MENU_TABS = ['people', 'talk', 'runs', 'workflows', 'notes', 'room', 'stats', 'settings'] as const;
export type MenuTab = (typeof MENU_TABS)[number];

const TAB_TITLES: Record<MenuTab, string> = {
  people: 'People',
  talk: 'Talk',
  runs: 'Runs',
  workflows: 'Chains',
  notes: 'Notes',
  room: 'Room',
  stats: 'Stats',
  settings: 'Settings',
};

/** Chat replies offered in a headset, where typing is slow: one press says one. */
export const QUICK_REPLIES = ['Yes', 'No', 'Thanks!'] as const;
/** How the reactions read on the menu's buttons. */
export const REACTION_WORDS: Record<Reaction, string> = { agree: 'Agree', heart: 'Love it', laugh: 'Ha ha', wow: 'Wow', party: 'Celebrate', question: 'Question' };
/** The chat's newest messages shown in a headset. */
export const CHAT_ROWS = 3;
const CHAT_CHARS = 60;

/** Notes offered in a headset, where typing is slow: one press adds one. */
export const PRESET_NOTES = ['Looks good', 'Approved', 'Needs changes', 'Question: let us discuss', 'Check this page'] as const;

export interface MenuPerson {
  id: string;
  name: string;
  role: string;
  device: string;
  me: boolean;
  connected: boolean;
  /** Their hand is raised; they hold the megaphone. */
  hand: boolean;
  megaphone: boolean;
}

/** Talking from the headset: the microphone, this person's hand, and the chat's newest lines. */
export interface MenuTalk {
  /** listening (microphone off), talking or muted; null where the page has no voice. */
  voice: 'listening' | 'talking' | 'muted' | null;
  hand: boolean;
  chat: { name: string; text: string }[];
}

export interface MenuData {
  people: MenuPerson[];
  /** Runs waiting at an approval step. */
  waiting: { id: string; label: string }[];
  workflows: { id: string; name: string }[];
  /** The document a note or a run would go on: the one held, else the nearest. */
  target: { id: string; title: string; page: number; notes: { id: string; text: string; author: string }[] } | null;
  settings: XrSettings;
  /** Whether neural hand gestures are on. */
  neural: boolean;
  /** Templates a new chain can be made from (empty until the server has said). */
  templates: { id: string; title: string }[];
  /** A chain's step picked (by pressing its node) to change its kind; null when none is. */
  step: MenuStep | null;
  /** The props this person may place (owners and editors; null for viewers, who see no Room tab). */
  room: { kind: string; name: string }[] | null;
  talk: MenuTalk;
  /** The world's figures, for its owner (null or absent for others, who see no Stats tab). */
  stats?: string[] | null;
}

export interface MenuStep {
  workflowId: string;
  stepId: string;
  /** Its place in the chain, from 1. */
  position: number;
  name: string;
  kind: string;
  chain: string;
  /** The kinds it can become, with their titles (empty until loaded). */
  kinds: { kind: string; title: string }[];
}

export type MenuAction =
  | { type: 'tab'; tab: MenuTab }
  | { type: 'answer'; runId: string; approved: boolean }
  | { type: 'start'; workflowId: string }
  | { type: 'create'; template: string; title: string }
  | { type: 'kind'; workflowId: string; stepId: string; kind: string; title: string }
  | { type: 'back' }
  | { type: 'page'; page: number }
  | { type: 'note'; text: string }
  | { type: 'removeNote'; noteId: string }
  | { type: 'addProp'; kind: string; name: string }
  | { type: 'propUndo' }
  | { type: 'statsRefresh' }
  | { type: 'locomotion' }
  | { type: 'snap' }
  | { type: 'vignette' }
  | { type: 'neural' }
  /** Moves one part of this person's look on to its next option. */
  | { type: 'look'; step: LookStep }
  /** Talk, mute or unmute, as the voice button on the page. */
  | { type: 'voice' }
  | { type: 'hand' }
  | { type: 'react'; reaction: Reaction }
  | { type: 'say'; text: string }
  /** Stands in front of someone, facing them. */
  | { type: 'goTo'; id: string }
  | { type: 'leave' }
  | { type: 'close' };

export type MenuItem = { kind: 'text'; text: string; muted?: boolean } | { kind: 'button'; label: string; action: MenuAction; selected?: boolean };
export type MenuRow = MenuItem[];

/** Rows of the open tab's content fit this many; beyond that the list says how many more. */
export const MAX_ROWS = 7;

const DEVICE_NAMES: Record<string, string> = { desktop: 'desktop', vr: 'VR headset', ar: 'AR', phone: 'phone' };

const text = (t: string, muted = false): MenuItem => ({ kind: 'text', text: t, muted });
const button = (label: string, action: MenuAction, selected = false): MenuItem => ({ kind: 'button', label, action, selected });

/** Keeps a list within the rows there are, saying how many did not fit. */
function capped(rows: MenuRow[], what: string, room: number = MAX_ROWS): MenuRow[] {
  if (rows.length <= room) return rows;
  return [...rows.slice(0, room - 1), [text(`… and ${rows.length - room + 1} more ${what}`, true)]];
}

function people(data: MenuData): MenuRow[] {
  const rows = data.people.map((p): MenuRow => [
    text(`${p.name}${p.me ? ' (you)' : ''}`),
    text(`${p.role} · ${DEVICE_NAMES[p.device] ?? p.device}${p.connected ? '' : ' · away'}${p.hand ? ' · hand up' : ''}${p.megaphone ? ' · megaphone' : ''}`, true),
    ...(p.me || !p.connected ? [] : [button('Go to', { type: 'goTo', id: p.id })]),
  ]);
  // a headset has no keyboard: each press moves one part of the look on, and everyone sees it
  const look: MenuRow = [
    text('Your look', true),
    button('Hair', { type: 'look', step: 'hair' }),
    button('Hat', { type: 'look', step: 'headwear' }),
    button('Glasses', { type: 'look', step: 'glasses' }),
    button('Shirt', { type: 'look', step: 'body' }),
  ];
  return [...capped(rows, 'people', MAX_ROWS - 1), look];
}

const VOICE_LABELS = { listening: 'Talk', talking: 'Mute', muted: 'Unmute' } as const;

/** The microphone and the hand, the reactions three to a row, quick replies, and the chat's newest lines. */
function talk(data: MenuData): MenuRow[] {
  const { voice, hand, chat } = data.talk;
  const first: MenuRow = [
    text(voice === null ? 'Voice is not available here' : voice === 'listening' ? 'Hold X to talk, or:' : voice === 'talking' ? 'Others near you hear you' : 'Your microphone is muted', true),
    ...(voice === null ? [] : [button(VOICE_LABELS[voice], { type: 'voice' }, voice === 'talking')]),
    button(hand ? 'Lower hand' : 'Raise hand', { type: 'hand' }, hand),
  ];
  const reactions: MenuRow[] = [REACTIONS.slice(0, 3), REACTIONS.slice(3)].map((group) => group.map((r) => button(REACTION_WORDS[r], { type: 'react', reaction: r })));
  const replies: MenuRow = [text('Say', true), ...QUICK_REPLIES.map((t) => button(t, { type: 'say', text: t }))];
  const clip = (t: string) => (t.length > CHAT_CHARS ? `${t.slice(0, CHAT_CHARS - 1)}…` : t).replace(/\s+/g, ' ');
  const lines: MenuRow[] = chat.length ? chat.slice(-CHAT_ROWS).map((m): MenuRow => [text(`${m.name}: ${clip(m.text)}`)]) : [[text('Nobody has written in the chat yet.', true)]];
  return [first, ...reactions, replies, ...lines];
}

function runs(data: MenuData): MenuRow[] {
  if (!data.waiting.length) return [[text('No run is waiting for approval.', true)]];
  const rows = data.waiting.map((r): MenuRow => [
    text(r.label),
    button('Approve', { type: 'answer', runId: r.id, approved: true }),
    button('Reject', { type: 'answer', runId: r.id, approved: false }),
  ]);
  return capped(rows, 'runs');
}

/**
 * A list longer than its room, a page at a time: the last row says which page this is, with
 * buttons to the pages on either side.
 */
function paged(rows: MenuRow[], page: number, room: number): MenuRow[] {
  if (rows.length <= room) return rows;
  const per = room - 1;
  const pages = Math.ceil(rows.length / per);
  const p = Math.max(0, Math.min(pages - 1, page));
  const nav: MenuRow = [text(`Page ${p + 1} of ${pages}`, true)];
  if (p > 0) nav.push(button('‹ Previous', { type: 'page', page: p - 1 }));
  if (p < pages - 1) nav.push(button('Next ›', { type: 'page', page: p + 1 }));
  return [...rows.slice(p * per, (p + 1) * per), nav];
}

function workflows(data: MenuData, page: number): MenuRow[] {
  if (data.step) return stepKinds(data.step, page);
  const on = data.target ? `on ${data.target.title}` : 'without a document';
  const head: MenuRow = [text(data.workflows.length ? `A run starts ${on}. Press a node to change its step.` : 'This world has no workflows yet.', true)];
  const rows = data.workflows.map((w): MenuRow => [text(w.name), button('Start run', { type: 'start', workflowId: w.id })]);
  if (data.templates.length) {
    rows.push([text('New chain from a template:', true)]);
    for (const t of data.templates) rows.push([button(`New: ${t.title}`, { type: 'create', template: t.id, title: t.title })]);
  }
  return [head, ...paged(rows, page, MAX_ROWS - 1)];
}

/** The kinds a picked step can become, two to a row; its own kind is marked. */
function stepKinds(step: MenuStep, page: number): MenuRow[] {
  const now = step.kinds.find((k) => k.kind === step.kind)?.title ?? step.kind;
  const head: MenuRow[] = [
    [text(`Step ${step.position} · ${step.name}`), text(step.chain, true), button('Back', { type: 'back' })],
    [text(`It is “${now}”. Press a kind to make it that kind instead:`, true)],
  ];
  if (!step.kinds.length) return [...head, [text('Loading the kinds of step…', true)]];
  const rows: MenuRow[] = [];
  for (let i = 0; i < step.kinds.length; i += 2) {
    rows.push(
      step.kinds.slice(i, i + 2).map((k) => button(k.title, { type: 'kind', workflowId: step.workflowId, stepId: step.stepId, kind: k.kind, title: k.title }, k.kind === step.kind)),
    );
  }
  return [...head, ...paged(rows, page, MAX_ROWS - head.length)];
}

function notes(data: MenuData, page: number): MenuRow[] {
  if (!data.target) return [[text('Hold a document, or stand near one, to note on it.', true)]];
  const head: MenuRow = [text(`On page ${data.target.page} of ${data.target.title}:`, true)];
  const presets = PRESET_NOTES.map((n): MenuRow => [button(n, { type: 'note', text: n })]);
  // the notes already on the page, each with a way to take it off (the server decides who may)
  const onPage = data.target.notes.map((n): MenuRow => [text(`${n.author}: ${n.text}`), button('Remove', { type: 'removeNote', noteId: n.id })]);
  return [head, ...paged([...presets, ...onPage], page, MAX_ROWS - 1)];
}

/** The catalogue, three props to a row, a press placing one ahead; Undo takes back this person's last change. */
function room(data: MenuData, page: number): MenuRow[] {
  const head: MenuRow = [text('Press to place one ahead · squeeze a prop to move it', true), button('Undo', { type: 'propUndo' })];
  const items = data.room ?? [];
  const rows: MenuRow[] = [];
  for (let i = 0; i < items.length; i += 3) rows.push(items.slice(i, i + 3).map((p) => button(p.name, { type: 'addProp', kind: p.kind, name: p.name })));
  return [head, ...paged(rows, page, MAX_ROWS - 1)];
}

export function nextSnap(degrees: number): number {
  const i = SNAP_CHOICES.indexOf(degrees as (typeof SNAP_CHOICES)[number]);
  return SNAP_CHOICES[(i + 1) % SNAP_CHOICES.length]!;
}

function settings(data: MenuData): MenuRow[] {
  const { locomotion, snapDegrees, vignette } = data.settings;
  return [
    [text('Moving'), button(locomotion === 'teleport' ? 'Teleport' : 'Smooth walking', { type: 'locomotion' })],
    [text('Turning'), button(snapDegrees === 0 ? 'Smooth turning' : `Snap ${snapDegrees}°`, { type: 'snap' })],
    [text('Comfort ring'), button(vignette ? 'On' : 'Off', { type: 'vignette' }, vignette)],
    [text('Neural hand gestures'), button(data.neural ? 'On' : 'Off', { type: 'neural' }, data.neural)],
    // uploading is honest about where it happens
    [text('Files are uploaded from a desktop or phone browser:', true)],
    [text('open this world there and drop them in; they appear here.', true)],
  ];
}

function stats(data: MenuData): MenuRow[] {
  const lines = (data.stats ?? []).slice(0, MAX_ROWS - 2).map((l): MenuRow => [text(l)]);
  return [...lines, [text('Charts: open the dashboard on a screen', true), button('Refresh', { type: 'statsRefresh' })]];
}

/** The whole menu for a tab: the tab bar, the tab's rows, and the footer. */
export function menuRows(tab: MenuTab, data: MenuData, page = 0): { tabs: MenuRow; body: MenuRow[]; footer: MenuRow } {
  // the Room tab is for those who may change the room, the Stats tab for the world's owner
  const shown = MENU_TABS.filter((t) => (t !== 'room' || data.room !== null) && (t !== 'stats' || (data.stats ?? null) !== null));
  const open = shown.includes(tab) ? tab : 'people';
  const tabs = shown.map((t) => button(TAB_TITLES[t], { type: 'tab', tab: t }, t === open));
  const body = {
    people,
    talk,
    runs,
    workflows: (d: MenuData) => workflows(d, page),
    notes: (d: MenuData) => notes(d, page),
    room: (d: MenuData) => room(d, page),
    stats,
    settings,
  }[open](data);
  return { tabs, body, footer: [button('Leave world', { type: 'leave' }), button('Close menu', { type: 'close' })] };
}

/** A button's place on the panel's canvas, in pixels from the top left. */
export interface PlacedItem {
  item: MenuItem;
  x: number;
  y: number;
  w: number;
  h: number;
}

export const MENU_PX = { width: 1024, height: 768, pad: 24, rowHeight: 72, tabHeight: 72, gap: 12 } as const;

/** Where each item goes: tabs across the top, rows below, the footer at the bottom; buttons on the right. */
export function layoutMenu(menu: { tabs: MenuRow; body: MenuRow[]; footer: MenuRow }): PlacedItem[] {
  const { width, height, pad, rowHeight, tabHeight, gap } = MENU_PX;
  const out: PlacedItem[] = [];
  const inner = width - 2 * pad;
  // tabs share the width by the length of their labels, so a long one keeps a readable size
  const weight = (item: MenuItem) => (item.kind === 'button' ? item.label.length : item.text.length) + 2;
  const perUnit = (inner - gap * (menu.tabs.length - 1)) / menu.tabs.reduce((sum, item) => sum + weight(item), 0);
  let tabX = pad;
  for (const item of menu.tabs) {
    const w = weight(item) * perUnit;
    out.push({ item, x: tabX, y: pad, w, h: tabHeight });
    tabX += w + gap;
  }
  const buttonW = 190;
  menu.body.forEach((row, r) => {
    const y = pad + tabHeight + gap * 2 + r * rowHeight;
    const buttons = row.filter((i) => i.kind === 'button');
    const texts = row.filter((i) => i.kind === 'text');
    // a row of only buttons (the preset notes, the kinds of step) shares the width
    const shareW = (inner - gap * (buttons.length - 1)) / buttons.length;
    if (!texts.length) return buttons.forEach((item, i) => out.push({ item, x: pad + i * (shareW + gap), y: y + 6, w: shareW, h: rowHeight - gap }));
    const textW = inner - buttons.length * (buttonW + gap);
    // a person's name and role share the text part, side by side
    texts.forEach((item, i) => out.push({ item, x: pad + (i * textW) / texts.length, y, w: textW / texts.length, h: rowHeight }));
    buttons.forEach((item, i) => out.push({ item, x: pad + textW + gap + i * (buttonW + gap), y: y + 6, w: buttonW, h: rowHeight - gap }));
  });
  const footW = (inner - gap) / 2;
  menu.footer.forEach((item, i) => out.push({ item, x: pad + i * (footW + gap), y: height - pad - tabHeight, w: footW, h: tabHeight }));
  return out;
}
