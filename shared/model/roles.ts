/**
 * World roles and what each may do: the one table the server enforces (intents in the room, REST
 * routes that change a world) and the client reads to explain a refusal before it happens.
 */
import type { IntentType } from '../protocol';

/** Someone admitted to a world: its owner, or a member the owner invited. */
export const WORLD_ROLES = ['viewer', 'editor', 'owner'] as const;
export type WorldRole = (typeof WORLD_ROLES)[number];
/** What everyone else gets in a world: not let in, let in to look, or let in to work. */
export const GUEST_ROLES = ['none', 'viewer', 'editor'] as const;
export type GuestRole = (typeof GUEST_ROLES)[number];
/** The roles an invite can carry: owners are not made by link. */
export const INVITE_ROLES = ['viewer', 'editor'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

const RANK: Record<WorldRole, number> = { viewer: 1, editor: 2, owner: 3 };

/** Whether `role` is at least `needed`; no role (not admitted) is never enough. */
export function atLeast(role: WorldRole | null | undefined, needed: WorldRole): boolean {
  return role ? RANK[role] >= RANK[needed] : false;
}

/**
 * The least role each intent needs. A viewer looks and talks: their pose (where they stand and
 * look) is theirs to send. Turning a page needs an editor: the page is shared and stored, so a turn
 * changes what everyone else in the world is reading; viewers follow the page the editors show.
 * `satisfies` makes a new intent type without an entry a type error.
 */
export const INTENT_ROLE = {
  pose: 'viewer',
  grab: 'editor',
  move: 'editor',
  release: 'editor',
  page: 'editor',
  noteAdd: 'editor',
  noteEdit: 'editor',
  noteDelete: 'editor',
  runStart: 'editor',
  runCancel: 'editor',
  runAnswer: 'editor',
  /** A neural command answers a waiting run, as an approval does. */
  neuralCommand: 'editor',
  /** Saying which inputs are on changes nothing in the world; anyone let in may. */
  neuralSources: 'viewer',
  /** Rearranging the room changes it for everyone, as moving a document does. */
  propAdd: 'editor',
  propGrab: 'editor',
  propMove: 'editor',
  propRelease: 'editor',
  propDelete: 'editor',
  propUndo: 'editor',
  /** One's own appearance is one's own, as one's pose is. */
  avatar: 'viewer',
  /** Viewers talk too: voice changes nothing in the world. */
  voiceSignal: 'viewer',
  /** Chat, reactions and a raised hand are talking too. */
  chat: 'viewer',
  react: 'viewer',
  hand: 'viewer',
  /** Who is heard by everyone, and silencing the room, are the host's to decide. */
  megaphone: 'owner',
  muteAll: 'owner',
} as const satisfies Record<IntentType, WorldRole>;

/** Things done to a world over REST, with the least role each needs. */
export const WORLD_ACTION_ROLE = {
  /** See the world and read its documents, workflows and runs. */
  read: 'viewer',
  /** Upload or delete documents, anchor them on chain. */
  editDocuments: 'editor',
  /** Create, change, delete and schedule workflows; start, cancel and answer runs. */
  editWorkflows: 'editor',
  /** Upload prop models and change the room's layout over REST. */
  editLayout: 'editor',
  /** Invite, change roles, remove members, set what guests may do. */
  manageMembers: 'owner',
  /** Read the world's audit log. */
  readAudit: 'owner',
  /** Schedule, change and cancel the world's events, and see who came. */
  manageEvents: 'owner',
  /** See how the world is used: people, sessions, where its workflows lose time. */
  viewStats: 'owner',
  /** Register, change and remove the world's devices, send them commands, roll out firmware. */
  editDevices: 'editor',
} as const satisfies Record<string, WorldRole>;
export type WorldAction = keyof typeof WORLD_ACTION_ROLE;

/** What each kind of thing a person may want to do is called in a refusal. */
const VERBS: Record<IntentType | WorldAction, string> = {
  pose: 'move around',
  grab: 'pick up documents',
  move: 'move documents',
  release: 'put documents down',
  page: 'turn pages',
  noteAdd: 'add notes',
  noteEdit: 'edit notes',
  noteDelete: 'delete notes',
  runStart: 'start workflow runs',
  runCancel: 'cancel workflow runs',
  runAnswer: 'answer approvals',
  neuralCommand: 'give commands to waiting workflow runs',
  neuralSources: 'share which neural inputs are on',
  propAdd: 'add furniture and props',
  propGrab: 'pick up props',
  propMove: 'move props',
  propRelease: 'put props down',
  propDelete: 'remove props',
  propUndo: 'undo changes to the room',
  avatar: 'change how they look',
  voiceSignal: 'talk by voice',
  chat: 'write in the chat',
  react: 'send reactions',
  hand: 'raise a hand',
  megaphone: 'hand out the megaphone',
  muteAll: 'mute everyone',
  read: 'see this world',
  editDocuments: 'add or remove documents',
  editWorkflows: 'change or run workflows',
  editLayout: 'change the room\'s furniture',
  manageMembers: 'manage who is in this world',
  readAudit: 'read this world\'s audit log',
  manageEvents: 'schedule events here',
  viewStats: 'see how this world is used',
  editDevices: 'add, change or command devices',
};

/** The least role needed for an intent or a REST action. */
export function roleNeeded(what: IntentType | WorldAction): WorldRole {
  return what in INTENT_ROLE ? INTENT_ROLE[what as IntentType] : WORLD_ACTION_ROLE[what as WorldAction];
}

/** Whether `role` may do `what`. */
export function allowed(role: WorldRole | null | undefined, what: IntentType | WorldAction): boolean {
  return atLeast(role, roleNeeded(what));
}

/** A refusal a person can act on: what their role is, what it cannot do, and who can change that. */
export function explainRefusal(role: WorldRole | null | undefined, what: IntentType | WorldAction): string {
  const verb = VERBS[what];
  if (!role) return `You have not been let into this world, so you cannot ${verb}. Ask its owner for an invite.`;
  if (roleNeeded(what) === 'owner') return `Only the owner of this world can ${verb}; you are ${role === 'editor' ? 'an' : 'a'} ${role}.`;
  return `You are a ${role} here: ${role}s can look and talk but cannot ${verb}. Ask the owner to make you an editor.`;
}
