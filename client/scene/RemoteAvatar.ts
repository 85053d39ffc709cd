/**
 * Another participant as seen here: a head with eyes (so you can tell where they look), a simple
 * body, two hands and a name tag, drawn a little in the past from a buffer of received poses.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateCylinder } from '@babylonjs/core/Meshes/Builders/cylinderBuilder';
import { CreateSphere } from '@babylonjs/core/Meshes/Builders/sphereBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { Pose } from '../../shared/protocol';
import { RENDER_DELAY_MS, pushSample, sampleAt, type PoseSample } from './interpolation';
import { createLabel, disposeLabel } from './labels';

const HEAD_DIAMETER = 0.26;
const HAND_DIAMETER = 0.09;
/** Where an untracked hand rests, relative to the head, in the head's yaw frame (forward is -Z). */
const RESTING_HAND = { x: 0.24, y: -0.55, z: -0.22 } as const;
const TAG_HEIGHT = 0.3;

function material(scene: Scene, name: string, colour: Color3): StandardMaterial {
  const m = new StandardMaterial(name, scene);
  m.diffuseColor = colour;
  m.specularColor = new Color3(0.15, 0.15, 0.15);
  return m;
}

const DEVICE_LABELS: Record<string, string> = { vr: 'VR', ar: 'AR', mobile: 'phone' };

/** Name tag colour of someone whose connection is down: grey, whatever their own colour. */
const AWAY_COLOUR = '#8a8f98';

/** "Ann" on a desktop, "Ann · VR" in a headset, "Ann (away)" while their connection is down. */
export function tagTextOf(name: string, device: string, connected = true): string {
  const label = DEVICE_LABELS[device];
  const text = label ? `${name} · ${label}` : name;
  return connected ? text : `${text} (away)`;
}

export class RemoteAvatar {
  /** Follows the head's position only; the tag and body hang off it. */
  private readonly anchor: TransformNode;
  /** The head sphere (rotates with the head); the mesh tests look for. */
  readonly head: Mesh;
  private readonly body: Mesh;
  private readonly hands: [Mesh, Mesh];
  private tag: Mesh;
  private readonly skin: StandardMaterial;
  private readonly samples: PoseSample[] = [];
  private name: string;
  private colour: string;
  private device = 'desktop';
  private connected = true;

  constructor(
    private readonly scene: Scene,
    readonly participantId: string,
    name: string,
    colour: string,
  ) {
    const id = `avatar-${participantId}`;
    this.anchor = new TransformNode(id, scene);
    this.skin = material(scene, `${id}-skin`, Color3.FromHexString(colour));

    this.head = CreateSphere(`${id}-head`, { diameter: HEAD_DIAMETER, segments: 16 }, scene);
    this.head.parent = this.anchor;
    this.head.rotationQuaternion = new Quaternion();
    this.head.material = this.skin;
    const white = material(scene, `${id}-eye`, Color3.White());
    const black = material(scene, `${id}-pupil`, new Color3(0.05, 0.05, 0.07));
    for (const side of [-1, 1]) {
      const eye = CreateSphere(`${id}-eye`, { diameter: 0.075, segments: 8 }, scene);
      eye.material = white;
      eye.parent = this.head;
      eye.position.set(side * 0.055, 0.03, -0.1);
      const pupil = CreateSphere(`${id}-pupil`, { diameter: 0.04, segments: 8 }, scene);
      pupil.material = black;
      pupil.parent = this.head;
      pupil.position.set(side * 0.055, 0.03, -0.133);
    }

    this.body = CreateCylinder(`${id}-body`, { height: 0.7, diameterTop: 0.22, diameterBottom: 0.36, tessellation: 16 }, scene);
    this.body.parent = this.anchor;
    this.body.position.y = -0.55;
    this.body.rotationQuaternion = new Quaternion();
    this.body.material = material(scene, `${id}-body`, Color3.FromHexString(colour).scale(0.7));

    this.hands = [0, 1].map((i) => {
      const hand = CreateSphere(`${id}-hand-${i}`, { diameter: HAND_DIAMETER, segments: 8 }, scene);
      hand.material = this.skin;
      return hand;
    }) as [Mesh, Mesh];

    this.name = name;
    this.colour = colour;
    this.tag = this.makeTag(name, colour);
    for (const mesh of [this.head, this.body, ...this.hands, ...this.head.getChildMeshes()]) mesh.isPickable = false;
  }

  setIdentity(name: string, colour: string): void {
    if (name === this.name && colour === this.colour) return;
    if (colour !== this.colour) {
      const c = Color3.FromHexString(colour);
      this.skin.diffuseColor = c;
      (this.body.material as StandardMaterial).diffuseColor = c.scale(0.7);
    }
    this.name = name;
    this.colour = colour;
    disposeLabel(this.tag);
    this.tag = this.makeTag(name, colour);
    this.setConnected(this.connected);
  }

  /** Shows on the name tag what they use when it is not a desktop browser ("Ann · VR"). */
  setDevice(device: string): void {
    if (device === this.device) return;
    this.device = device;
    disposeLabel(this.tag);
    this.tag = this.makeTag(this.name, this.colour);
    this.setConnected(this.connected);
  }

  /** The name tag's text as drawn. */
  get tagText(): string {
    return tagTextOf(this.name, this.device, this.connected);
  }

  /** Where the two hands are drawn right now (left, right). */
  get handPositions(): [[number, number, number], [number, number, number]] {
    const [l, r] = this.hands;
    return [
      [l.position.x, l.position.y, l.position.z],
      [r.position.x, r.position.y, r.position.z],
    ];
  }

  /** Dims the avatar and greys its tag while its connection is down (it may come back). */
  setConnected(connected: boolean): void {
    if (connected !== this.connected) {
      this.connected = connected;
      disposeLabel(this.tag);
      this.tag = this.makeTag(this.name, this.colour);
    }
    for (const mesh of [this.head, this.body, ...this.hands, this.tag]) mesh.visibility = connected ? 1 : 0.35;
  }

  addSample(t: number, head: Pose, left: Pose | null, right: Pose | null): void {
    pushSample(this.samples, { t, head, left, right });
  }

  /** Places the avatar where the participant was RENDER_DELAY_MS ago. */
  update(now: number): void {
    const pose = sampleAt(this.samples, now - RENDER_DELAY_MS);
    if (!pose) return;
    const [x, y, z, qx, qy, qz, qw] = pose.head;
    this.anchor.position.set(x, y, z);
    const headRotation = this.head.rotationQuaternion!;
    headRotation.set(qx, qy, qz, qw);
    // the body turns with the head's yaw only, so looking down does not tip it over
    const yaw = headRotation.toEulerAngles().y;
    Quaternion.RotationYawPitchRollToRef(yaw, 0, 0, this.body.rotationQuaternion!);
    this.placeHand(this.hands[0], pose.left, -1, yaw);
    this.placeHand(this.hands[1], pose.right, 1, yaw);
  }

  /** World position of the head as drawn (for tests and the who-is-here list). */
  get headPosition(): Vector3 {
    return this.anchor.position;
  }

  private placeHand(hand: Mesh, pose: Pose | null, side: number, yaw: number): void {
    if (pose) {
      hand.position.set(pose[0], pose[1], pose[2]);
      return;
    }
    const offset = new Vector3(side * RESTING_HAND.x, RESTING_HAND.y, RESTING_HAND.z);
    const turned = offset.rotateByQuaternionToRef(Quaternion.RotationYawPitchRoll(yaw, 0, 0), offset);
    hand.position.copyFrom(this.anchor.position).addInPlace(turned);
  }

  private makeTag(name: string, colour: string): Mesh {
    const tag = createLabel(this.scene, `avatar-${this.participantId}-tag`, tagTextOf(name, this.device, this.connected), this.connected ? colour : AWAY_COLOUR, { width: 0.9, billboard: true });
    tag.parent = this.anchor;
    tag.position.y = TAG_HEIGHT;
    return tag;
  }

  dispose(): void {
    disposeLabel(this.tag);
    for (const hand of this.hands) hand.dispose(false, true);
    this.anchor.dispose(false, true);
  }
}
