/**
 * VR and AR for one open world. Cheap until used: the WebXR machinery (XrRig) loads only when
 * someone enters. While a session runs, the world view takes its poses from here.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import type { PoseUpdate, WorldSession } from '../net/session';
import type { DocumentLayer } from '../scene/DocumentLayer';
import type { Pose } from '../../shared/protocol';
import type { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { XrMode, XrRig } from './XrRig';
import type { ArState } from './ArSession';
import { detectXrModes, type XrModes } from './xrModes';
import { loadXrSettings, type XrSettings } from './xrSettings';
import { inBackground } from '../ui/kit/background';
import type { XrMenu } from './menu/XrMenu';
import type { XrProps } from './XrPropGrab';

export type { XrMode } from './XrRig';

export interface XrHost {
  scene: Scene;
  session: WorldSession;
  documents: DocumentLayer;
  /** The world's props and their intents, for moving them in VR. */
  props?: XrProps;
  notify(message: string): void;
  home(): Pose;
  /** A document let go by hand in VR or AR (see XrRigHost.dropped). */
  dropped?(docId: string, hand: Vector3): void;
}

export class XrExperience {
  private rig: XrRig | null = null;
  private loading: Promise<XrRig> | null = null;
  private modes: XrModes | null = null;
  private readonly listeners = new Set<(mode: XrMode | null) => void>();
  private readonly arListeners = new Set<(state: ArState) => void>();
  private settings: XrSettings = loadXrSettings();
  /** Shown over the view during AR (DOM overlay): exit and recentre live here. */
  readonly overlay: HTMLElement;
  private disposed = false;
  private xrMenu: XrMenu | null = null;

  constructor(private readonly host: XrHost) {
    this.overlay = document.createElement('div');
    this.overlay.className = 'xr-overlay';
    this.overlay.hidden = true;
    inBackground(detectXrModes().then((m) => (this.modes = m)), 'Checking for VR and AR');
  }

  get mode(): XrMode | null {
    return this.rig?.active ?? null;
  }

  /** In VR or AR, or on the way in (see XrRig.presenting). */
  get presenting(): boolean {
    return this.rig?.presenting ?? false;
  }

  /** Called with the new mode whenever a session starts or ends. */
  onModeChange(listener: (mode: XrMode | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getSettings(): XrSettings {
    return this.settings;
  }

  /** The controllers and hands of the running session (none outside XR). */
  inputSources(): readonly WebXRInputSource[] {
    return this.rig?.inputSources ?? [];
  }

  /** Called with AR's state (hint, life size) whenever it changes while in AR. */
  onArChange(listener: (state: ArState) => void): () => void {
    this.arListeners.add(listener);
    return () => this.arListeners.delete(listener);
  }

  /** AR: the room life size instead of the tabletop miniature, or back. */
  setLifeSize(on: boolean): void {
    this.rig?.setLifeSize(on);
  }

  setSettings(settings: XrSettings): void {
    this.settings = settings;
    if (this.rig) this.rig.settings = settings;
  }

  /** Enters VR or AR; rejects with a message that can be shown when the browser refuses. */
  async enter(mode: XrMode): Promise<void> {
    if (this.mode) return;
    this.loading ??= import('./XrRig').then(({ XrRig }) => XrRig.create({ ...this.host, overlay: this.overlay, arChanged: () => this.emitAr() }));
    const rig = await this.loading;
    if (this.disposed) return;
    this.rig = rig;
    rig.settings = this.settings;
    rig.onEnded = () => {
      this.overlay.hidden = true;
      this.emit(null);
    };
    try {
      await rig.enter(mode, this.settings);
    } catch (err) {
      throw new Error(`Could not enter ${mode.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.overlay.hidden = mode !== 'ar';
    this.emit(mode);
    this.emitAr();
  }

  async exit(): Promise<void> {
    await this.rig?.exit();
  }

  /** VR: stands a little in front of someone at (x, z), facing them. False where it cannot (AR, or no session). */
  standNear(them: readonly [number, number], theirYaw?: number): boolean {
    return this.rig?.standNear(them, theirYaw) ?? false;
  }

  recentre(): void {
    this.rig?.recentre();
  }

  /** The pose to send this frame while in XR, or null on the desktop. */
  update(now: number): PoseUpdate | null {
    return this.rig?.update(now) ?? null;
  }

  /** The scene the world is drawn in, for overlays that follow the headset. */
  get scene(): Scene {
    return this.host.scene;
  }

  /** A tracked hand's 25 joints in WebXR order, or null (not in XR, or that hand is not tracked). */
  handJoints(handedness: 'left' | 'right'): Array<[number, number, number]> | null {
    return this.rig?.handJoints(handedness) ?? null;
  }

  /** VR and AR modes this browser offers; null until asked. */
  get availableModes(): XrModes | null {
    return this.modes;
  }

  /** The WebXR machinery, once someone has entered (null before). */
  get loadedRig(): XrRig | null {
    return this.rig;
  }

  /** The in-world menu and toasts, once a session loaded them (see menu/mountXrMenu.ts). */
  get menu(): XrMenu | null {
    return this.xrMenu;
  }

  /** The in-world menu was loaded (or goes, with null). */
  attachMenu(menu: XrMenu | null): void {
    this.xrMenu = menu;
  }

  private emit(mode: XrMode | null): void {
    for (const listener of this.listeners) listener(mode);
  }

  private emitAr(): void {
    const state = this.rig?.arState;
    if (state) for (const listener of this.arListeners) listener(state);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.arListeners.clear();
    this.overlay.remove();
    if (this.rig) {
      const rig = this.rig;
      inBackground(rig.exit().finally(() => rig.dispose()), 'Leaving VR');
    }
  }
}
