/**
 * The in-world menu of a VR or AR session: summoned by the left controller's Y button or by the
 * "Menu" button on the left wrist (controller or tracked hand), it opens in front of the person at
 * arm's length and stays where it opened until closed. It does what the page's overlay does: the
 * people here, runs waiting for approval, chains (new ones from templates; pressing a chain's
 * node opens it on that step, to make it another kind), talking (the microphone, a raised hand,
 * reactions, quick replies and the chat's newest lines; the X button held is push-to-talk), notes,
 * comfort settings with neural input and where uploads happen (explained), and leaving. Every message the page toasts shows in the headset too, and refusals buzz.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Observer } from '@babylonjs/core/Misc/observable';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import type { PlacedControl } from '../../scene/controls';
import type { WorldSession } from '../../net/session';
import { NOTE_COLOURS } from '../../../shared/model/documents';
import { parseLook, stepLook } from '../../../shared/model/avatarLook';
import type { AvatarLook } from '../../../shared/protocol';
import { saveLook } from '../../net/look';
import { toast, type ToastKind } from '../../ui/kit/toast';
import type { ChainBuilding } from '../../workflows/Workflows';
import type { Quat, Vec3 } from '../../../shared/protocol';
import { ROOM_HALF_SIZE } from '../../../shared/model/worlds';
import { placeAhead, XR_AHEAD } from '../../scene/props/propMaths';
import { pulse } from '../haptics';
import { saveXrSettings, type XrSettings } from '../xrSettings';
import { MenuPanel } from './MenuPanel';
import { MenuChains } from './menuChains';
import { createWristButton, disposeWristButton, placeWristButton } from './wristButton';
import { menuData } from './menuData';
import { menuPose } from './menuPlacement';
import { layoutMenu, menuRows, nextSnap, type MenuAction, type MenuData, type MenuTab } from './menuModel';
import { XrToasts, type ShownToast } from './XrToasts';

/** How often the open menu looks for changes to show (people, runs). */
const REFRESH_MS = 250;

export interface XrMenuHost {
  scene: Scene;
  session: WorldSession;
  /** The input sources of the running session. */
  controllers(): readonly WebXRInputSource[];
  head(): [number, number, number] | null;
  settings(): XrSettings;
  setSettings(settings: XrSettings): void;
  /** Neural hand gestures, where the page offers them. */
  neural: { on(): boolean; set(on: boolean): void } | null;
  /** Ends the XR session and leaves the world. */
  leave(): void;
  toastLifeMs: number;
  /** World metres per real metre: 1, but more in an AR miniature, where the menu keeps its real size. */
  unit(): number;
  /** The world's chains, to make new ones and change their steps (none in a world without them). */
  chains: ChainBuilding | null;
  /** Places props and undoes layout changes (the Room tab). */
  room: { add(kind: string, position: Vec3, rotation: Quat): void; undo(): void } | null;
  /** The page's voice: its state, the Talk button, and push-to-talk (the left X button, held). */
  voice: { state(): 'listening' | 'talking' | 'muted'; toggle(): void; push(held: boolean): void } | null;
  /** Stands in front of someone (false when they are not drawn here). */
  goTo(participantId: string): boolean;
  /** The world's figures for its owner (the Stats tab): null lines for anyone else. */
  stats: { lines(): string[] | null; load(): void } | null;
}

export class XrMenu {
  private readonly panel: MenuPanel;
  private readonly toasts: XrToasts;
  private readonly wrist: Mesh;
  private readonly frameObserver: Observer<Scene>;
  private tab: MenuTab = 'people';
  /** The look last chosen from this menu (null until a look button is pressed). */
  private lookNow: AvatarLook | null = null;
  /** The page of a long list on show. */
  private page = 0;
  private readonly chains: MenuChains;
  private readonly stopPicks: () => void;
  private shownKey = '';
  private lastRefresh = 0;
  private yWasDown = false;
  private xWasDown = false;

  constructor(private readonly host: XrMenuHost) {
    const { scene } = host;
    this.panel = new MenuPanel(scene, (action) => this.act(action));
    this.toasts = new XrToasts(scene, host.toastLifeMs, () => host.unit());
    this.toasts.under = () => (this.isOpen ? this.panel.bottomEdge() : null);
    this.wrist = createWristButton(scene, () => this.toggle());
    this.chains = new MenuChains(host.chains, () => this.redraw());
    // a node pressed in a headset opens the menu on its step; on the desktop the page's panel opens
    this.stopPicks = host.chains?.onStepPicked((workflowId, stepId) => this.toasts.active && this.pickStep(workflowId, stepId)) ?? (() => undefined);
    this.frameObserver = scene.onBeforeRenderObservable.add(() => this.frame());
  }

  /** A session started (true) or ended (false). */
  setActive(on: boolean): void {
    this.toasts.active = on;
    if (!on) {
      this.toasts.clear();
      this.close();
    }
    this.wrist.setEnabled(on);
  }

  /** A toast the page showed: the headset shows it too, and a refusal buzzes the controllers. */
  toast(message: string, kind: ToastKind, key: string): void {
    if (!this.toasts.active) return;
    this.toasts.show(message, kind, key);
    if (kind === 'error') for (const source of this.host.controllers()) pulse(source, 'refusal');
  }

  get isOpen(): boolean {
    return this.panel.enabled;
  }

  /** Opens the menu in front of the person, a little below where they look, facing them (see menuPlacement.ts). */
  open(): void {
    const camera = this.host.scene.activeCamera;
    if (!camera) return;
    const eye = camera.globalPosition;
    const gaze = camera.getForwardRay(1).direction;
    const u = this.host.unit();
    const pose = menuPose([eye.x, eye.y, eye.z], [gaze.x, gaze.y, gaze.z], u);
    const root = this.panel.root;
    root.position.set(...pose.position);
    root.scaling.setAll(u);
    root.rotation.set(pose.pitch, pose.yaw, 0);
    this.shownKey = '';
    this.refresh();
    this.panel.setEnabled(true);
  }

  close(): void {
    this.panel.setEnabled(false);
  }

  /** Shows the kinds a chain's step can become, opening the menu if it is closed. */
  private pickStep(workflowId: string, stepId: string): true {
    this.chains.picked = { workflowId, stepId };
    this.tab = 'workflows';
    this.page = 0;
    this.chains.load();
    if (this.isOpen) this.redraw();
    else this.open();
    return true;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** The tab the menu shows (or will show when it opens). */
  get currentTab(): MenuTab {
    return this.tab;
  }

  /** The open panel's buttons with their world centres (none while closed). */
  get shownButtons(): PlacedControl[] {
    return this.panel.shownButtons;
  }

  /** The text on the open panel, buttons' labels aside (none while closed). */
  get shownRows(): string[] {
    return this.panel.shownTexts;
  }

  /** The wrist button's world position, while it shows. */
  get wristPosition(): [number, number, number] | null {
    if (!this.wrist.isEnabled()) return null;
    const w = this.wrist.getAbsolutePosition();
    return [w.x, w.y, w.z];
  }

  /** The messages the headset shows now, newest first. */
  get shownToasts(): ShownToast[] {
    return this.toasts.shown;
  }

  private act(action: MenuAction): void {
    const { session } = this.host;
    switch (action.type) {
      case 'tab':
        this.tab = action.tab;
        this.page = 0;
        this.chains.picked = null;
        if (action.tab === 'workflows') this.chains.load();
        if (action.tab === 'stats') this.host.stats?.load();
        break;
      case 'statsRefresh':
        this.host.stats?.load();
        break;
      case 'page':
        this.page = action.page;
        break;
      case 'back':
        this.chains.picked = null;
        this.page = 0;
        break;
      case 'create':
        this.chains.create(action.template, action.title);
        break;
      case 'kind':
        // the menu steps aside once the chain shows the change, so its Save button is in sight
        this.chains.changeKind(action.workflowId, action.stepId, action.kind, action.title, () => this.close());
        break;
      case 'answer':
        session.answerRun(action.runId, action.approved);
        toast(action.approved ? 'Approved.' : 'Rejected.');
        break;
      case 'start': {
        const target = this.data().target;
        session.startRun(action.workflowId, target?.id);
        toast('Run started.');
        break;
      }
      case 'note':
        this.addNote(action.text);
        break;
      case 'removeNote':
        // it leaves the list when the server has taken it off; a refusal comes back as a toast
        this.host.session.deleteNote(action.noteId);
        break;
      case 'addProp':
        this.addProp(action.kind, action.name);
        break;
      case 'propUndo':
        this.host.room?.undo();
        break;
      case 'locomotion': {
        const s = this.host.settings();
        this.changeSettings({ ...s, locomotion: s.locomotion === 'teleport' ? 'smooth' : 'teleport' });
        toast('Moving changes the next time you enter VR.');
        break;
      }
      case 'snap': {
        const s = this.host.settings();
        this.changeSettings({ ...s, snapDegrees: nextSnap(s.snapDegrees) });
        break;
      }
      case 'vignette': {
        const s = this.host.settings();
        this.changeSettings({ ...s, vignette: !s.vignette });
        break;
      }
      case 'neural':
        this.host.neural?.set(!this.host.neural.on());
        break;
      case 'look': {
        // from the look others see now, so presses in a row build on each other even before the server answers
        const me = session.state.participants.get(session.sessionId);
        const next = stepLook(this.lookNow ?? parseLook(me?.look, me?.colour ?? ''), action.step);
        this.lookNow = next;
        session.setLook(next);
        saveLook(next).catch(() => toast('Your look is used here but could not be kept with your account.'));
        break;
      }
      case 'voice':
        this.host.voice?.toggle();
        break;
      case 'hand': {
        const raised = session.state.participants.get(session.sessionId)?.hand ?? false;
        session.raiseHand(!raised);
        break;
      }
      case 'react':
        session.react(action.reaction);
        break;
      case 'say':
        session.say(action.text);
        break;
      case 'goTo':
        // the menu stays where it opened: out of the way once one has gone
        if (this.host.goTo(action.id)) this.close();
        else toast('That person is not in view here yet.', 'error');
        return;
      case 'leave':
        this.close();
        this.host.leave();
        return;
      case 'close':
        this.close();
        return;
      default: {
        const unreachable: never = action;
        throw new Error(`unknown menu action ${JSON.stringify(unreachable)}`);
      }
    }
    this.redraw();
  }

  private redraw(): void {
    this.shownKey = '';
    this.refresh();
  }

  private changeSettings(next: XrSettings): void {
    saveXrSettings(next);
    this.host.setSettings(next);
  }

  /** Places a prop on the floor a step and a half ahead of the person, facing them. */
  private addProp(kind: string, name: string): void {
    const camera = this.host.scene.activeCamera;
    if (!camera || !this.host.room) return;
    const eye = camera.globalPosition;
    const gaze = camera.getForwardRay(1).direction;
    const { position, rotation } = placeAhead([eye.x, eye.y, eye.z], [gaze.x, gaze.y, gaze.z], XR_AHEAD, ROOM_HALF_SIZE);
    this.host.room.add(kind, position, rotation);
    toast(`${name} placed.`);
  }

  /** Adds a preset note on the target document's current page, next to the notes already there. */
  private addNote(text: string): void {
    const target = this.data().target;
    if (!target) return void toast('Hold a document, or stand near one, to note on it.', 'error');
    let count = 0;
    this.host.session.state.annotations.forEach((a) => {
      if (a.documentId === target.id && a.page === target.page) count++;
    });
    // a column down the right edge of the page, so new notes do not cover each other
    const u = 0.88;
    const v = 0.1 + 0.12 * (count % 7);
    this.host.session.addNote({ docId: target.id, page: target.page, u, v, text, colour: NOTE_COLOURS[0] });
    toast(`Note added to ${target.title}.`);
  }

  private data(): MenuData {
    return { ...menuData(this.host.session, this.host.head(), this.host.settings(), this.host.neural?.on() ?? false, this.host.voice?.state() ?? null), ...this.chains.data(), stats: this.host.stats?.lines() ?? null };
  }

  private refresh(): void {
    const rows = menuRows(this.tab, this.data(), this.page);
    if (!this.host.neural) rows.body = rows.body.filter((row) => !row.some((i) => i.kind === 'button' && i.action.type === 'neural'));
    const key = JSON.stringify(rows);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.panel.show(layoutMenu(rows));
  }

  private frame(): void {
    if (!this.toasts.active) return;
    const now = performance.now();
    if (this.isOpen && now - this.lastRefresh > REFRESH_MS) {
      this.lastRefresh = now;
      this.refresh();
    }
    const left = this.host.controllers().find((c) => c.inputSource.handedness === 'left');
    // the Y button summons and dismisses, once per press
    const y = left?.motionController?.getComponent('y-button')?.pressed ?? false;
    if (y && !this.yWasDown) this.toggle();
    this.yWasDown = y;
    // the X button, held, is push-to-talk
    const x = left?.motionController?.getComponent('x-button')?.pressed ?? false;
    if (x !== this.xWasDown) this.host.voice?.push(x);
    this.xWasDown = x;
    placeWristButton(this.wrist, left, this.host.unit());
  }

  dispose(): void {
    this.stopPicks();
    this.host.scene.onBeforeRenderObservable.remove(this.frameObserver);
    disposeWristButton(this.wrist);
    this.panel.dispose();
    this.toasts.dispose();
  }
}
