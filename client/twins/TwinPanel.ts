/**
 * A twin's panel, opened by pressing its readout: a board in the world in front of the person (in
 * VR and AR as on a desktop, like the headset's menu) with the last hour as a chart, the value now,
 * whether the device is online, one button per command and a close button. The buttons are
 * invisible pads registered as controls over the drawing, so the mouse, a controller's ray, a
 * fingertip and a pinch press them alike.
 *
 * It is drawn again only when something on it changes: a reading (at most IOT_TWIN_HZ a second), the
 * history refreshed (every HISTORY_REFRESH_MS while open), a command's outcome, a button lit.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { TwinCommand } from '../../shared/model/iot';
import { registerControl, unregisterControl, type PlacedControl } from '../scene/controls';
import { inBackground } from '../ui/kit/background';
import { giveCommand, recentHistory } from './twinApi';
import { CLOSE_RECT, HISTORY_MS, PANEL_PX, commandRects, drawPanel, type PanelView } from './panelFace';
import { commandOutcome, mergeSeries, panelPose, type ChartSample, type Rect, type TwinFacts } from './twinLook';

/** The panel's width in metres; its height follows the canvas. */
const PANEL_WIDTH_M = 0.72;
const M_PER_PX = PANEL_WIDTH_M / PANEL_PX.width;
const PAD_OFFSET_M = 0.003;
/** How far ahead it opens: within arm's reach in a headset, a little farther on a screen. */
const DISTANCE_XR_M = 0.75;
const DISTANCE_DESKTOP_M = 0.85;
const HISTORY_REFRESH_MS = 15_000;
/** Live readings kept for the chart while open (the history holds the rest). */
const LIVE_POINTS = 600;

export interface TwinPanelHost {
  scene: Scene;
  /** In VR or AR (the panel opens nearer). */
  presenting(): boolean;
  /** World metres per real metre: more than 1 in AR's miniature, where the panel keeps its real size. */
  unit(): number;
}

export class TwinPanel {
  private readonly root: TransformNode;
  private readonly texture: DynamicTexture;
  private readonly padMaterial: StandardMaterial;
  private pads: Mesh[] = [];
  private deviceId: string | null = null;
  private facts: TwinFacts | null = null;
  private commands: TwinCommand[] = [];
  private history: ChartSample[] = [];
  private live: ChartSample[] = [];
  private historyNote = '';
  private outcome: PanelView['outcome'] = null;
  private hovered: PanelView['hovered'] = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Counts openings, so an answer for an earlier one is dropped. */
  private opening = 0;

  constructor(private readonly host: TwinPanelHost) {
    const { scene } = host;
    // not `twin-…`: the panel is no content for AR's miniature to take in
    this.root = new TransformNode('panel-twin', scene);
    const height = PANEL_PX.height * M_PER_PX;
    const plane = CreatePlane('panel-twin-face', { width: PANEL_WIDTH_M, height, sideOrientation: Mesh.BACKSIDE }, scene);
    plane.parent = this.root;
    this.texture = new DynamicTexture('panel-twin-face', { ...PANEL_PX }, scene, true);
    // uploaded blank now: a texture never drawn is never ready, and the scene (which waits for every
    // mesh, hidden ones too) would never be, holding back whatever waits for it (a model's "loaded")
    this.texture.update();
    const material = new StandardMaterial('panel-twin-face', scene);
    material.diffuseTexture = this.texture;
    // lit by nothing but itself, at the colours drawn, like a gauge's face
    material.emissiveColor = Color3.White();
    material.disableLighting = true;
    plane.material = material;
    const back = CreatePlane('panel-twin-back', { width: PANEL_WIDTH_M + 0.04, height: height + 0.04, sideOrientation: Mesh.DOUBLESIDE }, scene);
    back.parent = this.root;
    back.position.z = -0.004;
    back.isPickable = false;
    const backMaterial = new StandardMaterial('panel-twin-back', scene);
    backMaterial.disableLighting = true;
    backMaterial.emissiveColor = Color3.FromHexString('#111318');
    back.material = backMaterial;
    // the pads are there to be pointed at, not seen: the drawing shows the buttons
    this.padMaterial = new StandardMaterial('panel-twin-pad', scene);
    this.padMaterial.alpha = 0;
    this.root.setEnabled(false);
  }

  get isOpen(): boolean {
    return this.root.isEnabled();
  }

  /** The device whose panel is open, or null. */
  get openFor(): string | null {
    return this.isOpen ? this.deviceId : null;
  }

  /** Opens the panel for a twin in front of the person, or brings it in front of them again. */
  open(deviceId: string, facts: TwinFacts, commands: TwinCommand[]): void {
    const camera = this.host.scene.activeCamera;
    if (!camera) return;
    const fresh = deviceId !== this.deviceId || !this.isOpen;
    this.deviceId = deviceId;
    this.facts = facts;
    this.commands = commands;
    const unit = this.host.unit();
    const eye = camera.globalPosition;
    const gaze = camera.getForwardRay(1).direction;
    const presenting = this.host.presenting();
    // a headset's wearer looks a little down at a board in reach; a screen shows it square on
    const pose = panelPose([eye.x, eye.y, eye.z], [gaze.x, gaze.y, gaze.z], (presenting ? DISTANCE_XR_M : DISTANCE_DESKTOP_M) * unit, presenting ? 0.12 : 0);
    this.root.position.set(...pose.position);
    this.root.rotation.set(0, pose.yaw, 0);
    this.root.scaling.setAll(unit);
    if (fresh) {
      this.opening++;
      this.history = [];
      this.live = facts.at ? [{ t: facts.at, v: facts.value }] : [];
      this.outcome = null;
      this.historyNote = 'Loading the last hour…';
      this.makePads();
      this.refreshHistory();
      if (this.timer) clearInterval(this.timer);
      this.timer = setInterval(() => this.refreshHistory(), HISTORY_REFRESH_MS);
    }
    this.root.setEnabled(true);
    this.draw();
  }

  close(): void {
    this.root.setEnabled(false);
    this.opening++;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.hovered = null;
  }

  /** The twin changed in the world's state: a newer reading joins the chart. */
  update(deviceId: string, facts: TwinFacts, commands: TwinCommand[]): void {
    if (!this.isOpen || deviceId !== this.deviceId) return;
    const newer = facts.at > (this.live[this.live.length - 1]?.t ?? 0);
    if (newer) this.live = [...this.live.slice(1 - LIVE_POINTS), { t: facts.at, v: facts.value }];
    const buttonsChanged = JSON.stringify(commands) !== JSON.stringify(this.commands);
    this.facts = facts;
    this.commands = commands;
    if (buttonsChanged) this.makePads();
    this.draw();
  }

  /** The twin left the world. */
  gone(deviceId: string): void {
    if (deviceId === this.deviceId) this.close();
  }

  private refreshHistory(): void {
    const { deviceId, facts } = this;
    if (!deviceId || !facts) return;
    const opening = this.opening;
    const settle = (history: ChartSample[], note: string) => {
      if (opening !== this.opening) return;
      this.history = history;
      this.historyNote = note;
      this.draw();
    };
    const readings = (n: number) => `${n} reading${n === 1 ? '' : 's'}`;
    inBackground(
      recentHistory(deviceId, facts.metric, Date.now() - HISTORY_MS).then(
        (history) => settle(history, history.length ? `Last hour · ${readings(history.length)} stored, newest live` : 'No readings stored in the last hour'),
        // said on the panel itself, where the chart would be (a guest is asked to sign in)
        (err: unknown) => settle(this.history, `Could not load the history: ${err instanceof Error ? err.message : String(err)}`),
      ),
      'Showing the history',
    );
  }

  private press(index: number): void {
    const { deviceId } = this;
    const command = this.commands[index];
    if (!deviceId || !command) return;
    const opening = this.opening;
    const show = (text: string, ok: boolean | null) => {
      if (opening !== this.opening) return;
      this.outcome = { text: `${command.label}: ${text}`, ok };
      this.draw();
    };
    show('sending…', null);
    inBackground(
      giveCommand(deviceId, command).then(
        (answer) => {
          const outcome = commandOutcome(answer);
          show(outcome.text, outcome.ok);
        },
        // the server's refusal (a viewer, a removed device) says what to do
        (err: unknown) => show(err instanceof Error ? err.message : String(err), false),
      ),
      `Giving “${command.label}”`,
    );
  }

  /** A pressable pad over each button drawn: close and one per command. */
  private makePads(): void {
    for (const pad of this.pads) {
      unregisterControl(pad);
      pad.dispose();
    }
    this.pads = [];
    this.pad(CLOSE_RECT, 'Close the device panel', 'close', () => this.close());
    commandRects(this.commands.length).forEach((rect, i) => this.pad(rect, this.commands[i]!.label, i, () => this.press(i)));
  }

  private pad(rect: Rect, label: string, key: 'close' | number, press: () => void): void {
    const pad = CreatePlane(`panel-twin-button-${key}`, { width: rect.w * M_PER_PX, height: rect.h * M_PER_PX, sideOrientation: Mesh.DOUBLESIDE }, this.host.scene);
    pad.parent = this.root;
    pad.material = this.padMaterial;
    pad.position.set((rect.x + rect.w / 2 - PANEL_PX.width / 2) * M_PER_PX, (PANEL_PX.height / 2 - rect.y - rect.h / 2) * M_PER_PX, PAD_OFFSET_M);
    pad.metadata = { label };
    registerControl(pad, {
      label,
      press,
      hover: (on) => {
        if (on) this.hovered = key;
        else if (this.hovered === key) this.hovered = null;
        this.draw();
      },
    });
    this.pads.push(pad);
  }

  private draw(): void {
    if (!this.facts || !this.isOpen) return;
    const ctx = this.texture.getContext() as unknown as CanvasRenderingContext2D;
    drawPanel(ctx, { facts: this.facts, series: mergeSeries(this.history, this.live), historyNote: this.historyNote, labels: this.commands.map((c) => c.label), outcome: this.outcome, hovered: this.hovered, now: Date.now() });
    this.texture.update(true);
  }

  /** The buttons on the panel with their world centres, while it shows. */
  get shownButtons(): PlacedControl[] {
    if (!this.isOpen) return [];
    return this.pads.map((pad) => {
      pad.computeWorldMatrix(true);
      const p = pad.getAbsolutePosition();
      return { label: (pad.metadata as { label: string }).label, position: [p.x, p.y, p.z] };
    });
  }

  /** What the panel says besides its buttons: the history line and the last command's outcome. */
  get shownTexts(): { history: string; outcome: string; points: number } {
    return { history: this.historyNote, outcome: this.outcome?.text ?? '', points: mergeSeries(this.history, this.live).length };
  }

  dispose(): void {
    this.close();
    for (const pad of this.pads) unregisterControl(pad);
    this.root.dispose(false, true);
    this.padMaterial.dispose();
  }
}
