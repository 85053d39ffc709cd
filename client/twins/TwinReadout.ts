/**
 * A twin's readout in the world: the dial face (twinFace.ts) on a rim in the twin's colour, either
 * standing on a post of its own (a gauge) or floating above the prop it is (turning to face the
 * viewer). The face is a control, so a mouse click, a controller's ray, a fingertip or a pinch opens
 * the twin's panel.
 *
 * Per frame it does no drawing: the face's texture is drawn again only when what it shows changes
 * (faceKey), and the only per-frame work is a short swell when a new reading arrives and, in alarm,
 * a red rim that pulses in steps. Both move nodes, which is what the world's render-on-demand
 * (scene/renderDemand.ts) watches, so a reading is drawn on a still desktop without a poke.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreateCylinder } from '@babylonjs/core/Meshes/Builders/cylinderBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { registerControl } from '../scene/controls';
import { FACE_PX, drawTwinFace, type DrawnFace } from './twinFace';
import { ALARM_RED, faceKey, type TwinFacts } from './twinLook';

/** The face's width in metres (its height follows the canvas). */
export const GAUGE_WIDTH_M = 0.6;
const GAUGE_HEIGHT_M = (GAUGE_WIDTH_M * FACE_PX.height) / FACE_PX.width;
const RIM_M = 0.025;
/** How long the swell of a new reading lasts, and how far it grows. */
const PULSE_MS = 450;
const PULSE_GROW = 0.07;
/** The alarm's rim pulses this many times a second, in this many steps per pulse (each step draws one frame). */
const ALARM_HZ = 1.5;
const ALARM_STEPS = 8;

export type ReadoutStyle = 'gauge' | 'floating';

export class TwinReadout {
  /** The top node: placed at the twin's x, y, z (gauge) or above its prop (floating). Named `twin-…` for AR's miniature. */
  readonly root: TransformNode;
  readonly face: Mesh;
  private readonly swell: TransformNode;
  private readonly texture: DynamicTexture;
  private readonly rim: Mesh;
  private readonly rimMaterial: StandardMaterial;
  private readonly parts: Mesh[] = [];
  private key = '';
  private readingAt = 0;
  private pulseFrom = -Infinity;
  private alarm = false;
  private alarmStep = -1;
  private level = 0;
  /** What the face shows now (null before its first drawing). */
  drawn: DrawnFace | null = null;

  constructor(
    private readonly scene: Scene,
    id: string,
    readonly style: ReadoutStyle,
    label: string,
    press: () => void,
  ) {
    this.root = new TransformNode(`twin-${id}`, scene);
    this.swell = new TransformNode(`twin-${id}-swell`, scene);
    this.swell.parent = this.root;
    if (style === 'floating') this.root.billboardMode = TransformNode.BILLBOARDMODE_Y;

    this.texture = new DynamicTexture(`twin-${id}-face`, { ...FACE_PX }, scene, true);
    this.texture.hasAlpha = true;
    const material = new StandardMaterial(`twin-${id}-face`, scene);
    material.diffuseTexture = this.texture;
    material.emissiveColor = Color3.White();
    material.useAlphaFromDiffuseTexture = true;
    material.disableLighting = true;
    // the face is drawn as a plane's back, which looks down +Z like a chain's nodes; a billboard turns it to the eye
    material.backFaceCulling = true;
    this.face = CreatePlane(`twin-${id}-face`, { width: GAUGE_WIDTH_M, height: GAUGE_HEIGHT_M, sideOrientation: Mesh.BACKSIDE }, scene);
    this.face.material = material;
    this.face.parent = this.swell;
    registerControl(this.face, { label, press });

    this.rimMaterial = new StandardMaterial(`twin-${id}-rim`, scene);
    this.rimMaterial.disableLighting = true;
    this.rim = CreatePlane(`twin-${id}-rim`, { width: GAUGE_WIDTH_M + 2 * RIM_M, height: GAUGE_HEIGHT_M + 2 * RIM_M, sideOrientation: Mesh.DOUBLESIDE }, scene);
    this.rim.material = this.rimMaterial;
    this.rim.parent = this.swell;
    this.rim.position.z = -0.006;
    this.rim.isPickable = false;
    if (style === 'gauge') this.buildStand(id);
  }

  /** A back plate, a post down to the floor and a foot, so the gauge stands like a device. */
  private buildStand(id: string): void {
    const dark = new StandardMaterial(`twin-${id}-stand`, this.scene);
    dark.diffuseColor = Color3.FromHexString('#3a3f48');
    dark.specularColor = new Color3(0.15, 0.15, 0.15);
    const back = CreateBox(`twin-${id}-back`, { width: GAUGE_WIDTH_M + 2 * RIM_M + 0.02, height: GAUGE_HEIGHT_M + 2 * RIM_M + 0.02, depth: 0.03 }, this.scene);
    back.position.z = -0.024;
    const post = CreateCylinder(`twin-${id}-post`, { height: 1, diameter: 0.05, tessellation: 16 }, this.scene);
    const foot = CreateCylinder(`twin-${id}-foot`, { height: 0.03, diameter: 0.36, tessellation: 24 }, this.scene);
    for (const m of [back, post, foot]) {
      m.material = dark;
      m.parent = this.root;
      m.isPickable = false;
      this.parts.push(m);
    }
  }

  /** Stands the readout at `x, y, z` (its face's centre), turned `yaw` about the vertical. */
  place(x: number, y: number, z: number, yaw: number): void {
    this.root.position.set(x, y, z);
    if (this.style === 'floating') return;
    this.root.rotation.y = yaw;
    // the post reaches from under the face to the floor
    const [, post, foot] = this.parts;
    const bottom = y - GAUGE_HEIGHT_M / 2 - RIM_M;
    const height = Math.max(0.01, bottom);
    post!.scaling.y = height;
    post!.position.set(0, -GAUGE_HEIGHT_M / 2 - RIM_M - height / 2, -0.024);
    foot!.position.set(0, -y + 0.015, -0.024);
    post!.setEnabled(bottom > 0.02);
    foot!.setEnabled(bottom > 0.02);
  }

  /** Shows `t`: draws the face again if anything on it changed, and swells when a newer reading came. */
  show(t: TwinFacts, now: number): void {
    // a reading that came while watching swells; those already there when the world opened do not
    if (this.key !== '' && t.at > this.readingAt) this.pulseFrom = now;
    this.readingAt = Math.max(this.readingAt, t.at);
    this.alarm = t.alarm;
    const key = faceKey(t);
    if (key === this.key) return;
    this.key = key;
    const ctx = this.texture.getContext() as unknown as CanvasRenderingContext2D;
    this.drawn = drawTwinFace(ctx, t);
    this.texture.update(true);
    this.alarmStep = -1;
    this.paintRim(0);
  }

  /** Per frame: the swell of a new reading and the alarm's pulsing rim; nothing when neither is on. */
  update(now: number): void {
    if (this.pulseFrom > -Infinity) {
      const since = now - this.pulseFrom;
      if (since >= PULSE_MS) this.pulseFrom = -Infinity;
      this.swell.scaling.setAll(since >= PULSE_MS ? 1 : 1 + PULSE_GROW * Math.sin((Math.PI * Math.max(0, since)) / PULSE_MS));
    }
    if (!this.alarm) return;
    const step = Math.floor((now / 1000) * ALARM_HZ * ALARM_STEPS) % ALARM_STEPS;
    if (step === this.alarmStep) return;
    this.alarmStep = step;
    this.paintRim(0.5 - 0.5 * Math.cos((2 * Math.PI * step) / ALARM_STEPS));
  }

  /** How bright the alarm's pulse is now (0..1), or null when not in alarm. */
  get alarmLevel(): number | null {
    return this.alarm ? this.level : null;
  }

  /** The rim in the twin's colour; in alarm, red glowing from dark to bright and growing with `level` (0..1). */
  private paintRim(level: number): void {
    this.level = level;
    const colour = Color3.FromHexString(this.alarm ? ALARM_RED : (this.drawn?.colour ?? '#8a909a'));
    this.rimMaterial.emissiveColor = this.alarm ? colour.scale(0.45 + 0.75 * level) : colour;
    const grow = this.alarm ? 1 + 0.08 * level : 1;
    this.rim.scaling.set(grow, grow, 1);
  }

  /** Where the face's centre is in the world now. */
  get position(): [number, number, number] {
    this.face.computeWorldMatrix(true);
    const p = this.face.getAbsolutePosition();
    return [p.x, p.y, p.z];
  }

  dispose(): void {
    this.root.dispose(false, true);
    this.texture.dispose();
  }
}
