/**
 * `window.__dwc`: a read-only window into the running world for end-to-end tests (and curious
 * people). It reveals only what the page already shows, so it ships in production too.
 */
import type { ChainAction, NodeAction } from '../workflows/ChainView';
import type { XrMode } from '../xr/XrExperience';
import type { PlacedControl } from '../scene/controls';
import type { ArState } from '../xr/ArSession';
import type { MenuTab } from '../xr/menu/menuModel';
import type { ShownToast } from '../xr/menu/XrToasts';
import type { XrModes } from '../xr/xrModes';
import type { XrControllerState } from '../xr/XrRig';

export interface ParticipantProbe {
  id: string;
  name: string;
  colour: string;
  head: [number, number, number];
  /** What they use (desktop, vr, ar), as the server holds it. */
  device: string;
  /** Their hands as the server holds them; null while not tracked. */
  left: [number, number, number] | null;
  right: [number, number, number] | null;
  /** Their avatar as drawn here: name tag text and hand positions (null for yourself). */
  tag: string | null;
  drawnHands: [[number, number, number], [number, number, number]] | null;
  /** Their role and look as the server holds them ('' look: never chosen). */
  role: string;
  look: string;
  /** The look their avatar is drawn in here, and how many meshes (draw calls) it takes (null for yourself). */
  drawnLook: { body: string; skin: string; hair: string; hairColour: string; headwear: string; glasses: string } | null;
  meshes: number | null;
  /** Their raised hand and megaphone as the server holds them. */
  hand: boolean;
  megaphone: boolean;
  /** What shows over their avatar here: badges ('hand', 'megaphone') and reactions in the air (null for yourself). */
  marks: { badges: string[]; bursts: number } | null;
}

export interface DocumentProbe {
  id: string;
  title: string;
  kind: string;
  position: [number, number, number];
  /** Rotation quaternion [x, y, z, w] and scale, as the server holds them. */
  rotation: [number, number, number, number];
  scale: number;
  heldBy: string;
  /** Page and spread as the server holds them (shared by everyone). */
  page: number;
  spread: number;
  /** Pages as this client knows them: 0 until the content has loaded. */
  pageCount: number;
  /** Whether the full content (not just a preview) is on show. */
  contentLoaded: boolean;
  /** Ids of the notes drawn on the panel's face right now. */
  notesShown: string[];
  /** Pixels per page width of the sharpest drawing of the face on show (0 for models). */
  pageWidthPx: number;
}

export interface PropProbe {
  id: string;
  kind: string;
  /** As the server holds it. */
  position: [number, number, number];
  rotation: [number, number, number, number];
  scale: number;
  heldBy: string;
  /** Where this browser draws it now (smoothed, or its own drag). */
  drawnAt: [number, number, number] | null;
}

export interface PropKindProbe {
  kind: string;
  drawnFrom: 'model' | 'box' | 'loading';
  instances: number;
}

/** Where the eye is and what it reads (see ReadMode). */
export interface ViewProbe {
  eye: [number, number, number];
  /** The camera's Euler rotation (pitch, yaw, roll). */
  rotation: [number, number, number];
  /** The document in read mode, if any. */
  reading: string | null;
}

export interface NoteProbe {
  id: string;
  documentId: string;
  page: number;
  u: number;
  v: number;
  text: string;
  author: string;
}

export type Point = { x: number; y: number };

/** One controller or tracked hand: where it is, whether its model shows, what it points at. */
export type XrControllerProbe = XrControllerState;

/** A button drawn in the world: its label and the world position of its centre. */
export type ButtonProbe = PlacedControl;

/** A message the headset shows now: where its card is, and how opaque (it fades before it goes). */
export type XrToastProbe = ShownToast;

/** The in-world menu and toasts of a VR or AR session. */
export interface XrMenuProbe {
  open: boolean;
  tab: MenuTab;
  buttons: ButtonProbe[];
  /** The text on the open panel. */
  rows: string[];
  /** The wrist button's world position, while it shows. */
  wrist: [number, number, number] | null;
  toasts: XrToastProbe[];
  /** Controller pulses played so far. */
  haptics: number;
}

/** AR's miniature, hint and in-world buttons. */
export interface ArProbe extends ArState {
  /** The in-world buttons, when drawn (no DOM overlay). */
  buttons: ButtonProbe[] | null;
}

/** What `window.__dwc.environment()` answers. */
export interface EnvironmentProbe {
  template: string;
  setting: 'indoor' | 'outdoor';
  /** The graphics tier it is drawn in, and the WebGL renderer that tier was chosen for. */
  tier: 'full' | 'light';
  renderer: string;
  /** The environment's meshes drawn in the last frame (one draw call each). */
  activeMeshes: number;
  /** Whether the prefiltered environment light (full tier) is loaded and every environment mesh can be drawn. */
  lightReady: boolean;
}

/** What `window.__dwc.xr()` answers . */
export interface XrProbe {
  /** Modes this browser offers; null until asked. */
  modes: XrModes | null;
  mode: XrMode | null;
  head: [number, number, number] | null;
  headRotation: [number, number, number, number] | null;
  controllers: XrControllerProbe[];
  roomVisible: boolean;
  /** Where the AR reticle sits on a real surface, while it shows. */
  reticle: [number, number, number] | null;
  /** Where the workspace was placed in AR (its anchor point), once placed. */
  placedAt: [number, number, number] | null;
  holding: string | null;
  /** How dark the comfort ring is in VR now, 0..1 (absent outside XR). */
  vignette?: number;
  /** Whether the teleport's landing ring shows (the stick is aiming a teleport at the floor). */
  teleportAim?: boolean;
  /** The in-world menu and toasts, once a session loaded them. */
  menu?: XrMenuProbe | null;
  /** AR's miniature, hint and in-world buttons, while in AR. */
  ar?: ArProbe | null;
}

export interface ChainProbe {
  id: string;
  name: string;
  version: number;
  latestVersion: number;
  /** This browser shows its own unsaved draft on the chain. */
  draft: boolean;
  /** The run the chain shows ('' before any). */
  runId: string;
  /** `shown`: the status line drawn on the node in 3D ("ready", "running…", "succeeded"…). */
  steps: { id: string; kind: string; name: string; status: string; detail: string; shown: string; resultDocumentId: string; resultLinked: boolean }[];
}

export interface RunProbe {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  documentId: string;
  /** `seen`: every status this browser received for the step, in order (repeats folded). */
  steps: { id: string; status: string; attempt: number; detail: string; documentId: string; seen: string[] }[];
}

export interface WorkflowProbe {
  workflows(): ChainProbe[];
  runs(): RunProbe[];
  /** Viewport point of a chain node, or of one of its builder buttons; null when off screen. */
  nodeScreenPoint(workflowId: string, stepId: string, button?: NodeAction): Point | null;
  /** World position of a chain node, or of one of its builder buttons: what a ray or a fingertip aims at in XR. */
  nodePosition(workflowId: string, stepId: string, button?: NodeAction): [number, number, number] | null;
  /** Viewport point of a chain's save/undo button; null unless a draft is on show. */
  chainButtonPoint(workflowId: string, action: ChainAction): Point | null;
  /** World position of a chain's save/undo button (what a ray aims at in XR); null unless a draft is on show. */
  chainButtonPosition(workflowId: string, action: ChainAction): [number, number, number] | null;
}

export interface WorldProbe extends WorkflowProbe {
  ready(): boolean;
  sessionId(): string;
  participants(): ParticipantProbe[];
  documents(): DocumentProbe[];
  notes(): NoteProbe[];
  /** Viewport CSS pixel coordinates of a document's centre, or null when it is not in front of the eye. */
  screenPointOf(docId: string): Point | null;
  /** Viewport CSS pixel of a point (u, v from the top-left) on the first page shown on a panel. */
  pagePoint(docId: string, u: number, v: number): Point | null;
  /** Viewport CSS rectangle covered by a panel's face, or null when it is not in front of the eye. */
  faceRect(docId: string): { left: number; top: number; right: number; bottom: number } | null;
  view(): ViewProbe;
  /** Viewport CSS pixel of one of a panel's page controls (null while it shows none). */
  controlPoint(docId: string, control: 'next' | 'prev' | 'spread'): Point | null;
  /** World position of one of a panel's page controls (null while it shows none): what a fingertip touches in XR. */
  controlPosition(docId: string, control: 'next' | 'prev' | 'spread'): [number, number, number] | null;
  /** A viewport point on the wall ahead, clear of documents: somewhere to drop a file. */
  dropPoint(): Point;
  avatarVisible(participantId: string): boolean;
  renderedFrames(): number;
  /** The place around the people (template, setting, what it draws); null in the lobby. */
  environment?(): EnvironmentProbe | null;
  /** VR/AR state of this browser (see client/xr). */
  xr?(): XrProbe;
  props?(): PropProbe[];
  /** The kinds of prop in the world and how each is drawn (one thin-instanced mesh per kind). */
  propKinds?(): PropKindProbe[];
  /** Viewport CSS pixel of a prop's middle, or null when it is not in front of the eye. */
  propScreenPoint?(propId: string): Point | null;
  /** The world editor is on (props can be picked and dragged). */
  editing?(): boolean;
  /** This page's voice calls, with WebRTC's byte counts and how loud each voice is heard. */
  voiceCalls?(): Promise<VoiceCallProbe[]>;
  /** Whether this page is listening, talking or muted. */
  voiceState?(): string;
  /** The devices' twins as this page shows them, and the open twin panel (see twinProbe.ts). */
  twins?(): TwinProbe[];
  twinPanel?(): TwinPanelProbe;
}

import type { VoiceCallProbe } from '../voice/VoiceChat';
import type { TwinPanelProbe, TwinProbe } from './twinProbe';

declare global {
  interface Window {
    __dwc?: Readonly<WorldProbe>;
  }
}

/** Installs `window.__dwc`, answering from whichever world is open (or "not ready" in the lobby). */
export function installTestHook(current: () => WorldProbe | null): void {
  const hook: WorldProbe = {
    ready: () => current()?.ready() ?? false,
    sessionId: () => current()?.sessionId() ?? '',
    participants: () => current()?.participants() ?? [],
    documents: () => current()?.documents() ?? [],
    notes: () => current()?.notes() ?? [],
    screenPointOf: (docId) => current()?.screenPointOf(docId) ?? null,
    pagePoint: (docId, u, v) => current()?.pagePoint(docId, u, v) ?? null,
    faceRect: (docId) => current()?.faceRect(docId) ?? null,
    view: () => current()?.view() ?? { eye: [0, 0, 0], rotation: [0, 0, 0], reading: null },
    controlPoint: (docId, control) => current()?.controlPoint(docId, control) ?? null,
    controlPosition: (docId, control) => current()?.controlPosition(docId, control) ?? null,
    dropPoint: () => current()?.dropPoint() ?? { x: innerWidth / 2, y: innerHeight / 2 },
    avatarVisible: (participantId) => current()?.avatarVisible(participantId) ?? false,
    renderedFrames: () => current()?.renderedFrames() ?? 0,
    environment: () => current()?.environment?.() ?? null,
    xr: () => current()?.xr?.() ?? { modes: null, mode: null, head: null, headRotation: null, controllers: [], roomVisible: false, reticle: null, placedAt: null, holding: null },
    props: () => current()?.props?.() ?? [],
    propKinds: () => current()?.propKinds?.() ?? [],
    propScreenPoint: (propId) => current()?.propScreenPoint?.(propId) ?? null,
    editing: () => current()?.editing?.() ?? false,
    voiceCalls: () => current()?.voiceCalls?.() ?? Promise.resolve([]),
    voiceState: () => current()?.voiceState?.() ?? 'none',
    twins: () => current()?.twins?.() ?? [],
    twinPanel: () => current()?.twinPanel?.() ?? { open: false, deviceId: null, buttons: [], history: '', outcome: '', points: 0 },
    workflows: () => current()?.workflows() ?? [],
    runs: () => current()?.runs() ?? [],
    nodeScreenPoint: (workflowId, stepId, button) => current()?.nodeScreenPoint(workflowId, stepId, button) ?? null,
    nodePosition: (workflowId, stepId, button) => current()?.nodePosition(workflowId, stepId, button) ?? null,
    chainButtonPoint: (workflowId, action) => current()?.chainButtonPoint(workflowId, action) ?? null,
    chainButtonPosition: (workflowId, action) => current()?.chainButtonPosition(workflowId, action) ?? null,
  };
  Object.defineProperty(window, '__dwc', { value: Object.freeze(hook), configurable: false, writable: false });
}
