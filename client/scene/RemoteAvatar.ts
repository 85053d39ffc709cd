/**
 * Another participant as seen here: a stylised body in the look they chose (head with eyes, hair,
 * headwear and glasses; neck and torso; two hands) with a name tag saying who they are, their role
 * and their device, drawn a little in the past from a buffer of received poses. The head and
 * hands go where their poses say; the torso hangs under the head and turns after it, bobbing while
 * they walk and breathing while they stand, so people read as alive.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { AvatarLook, Pose, Reaction } from '../../shared/protocol';
import { defaultLook, sameLook } from '../../shared/model/avatarLook';
import { RENDER_DELAY_MS, pushSample, sampleAt, type PoseSample } from './interpolation';
import { createNameTag, disposeLabel } from './labels';
import { RESTING_HAND, buildHand, buildMouth, buildHead, buildTorso } from './avatarParts';
import { markAmbient } from './renderDemand';
import { SocialMarks } from './socialMarks';
import { bodyMotion, followYaw, newGait, stepGait, talkMotion, type Gait } from './avatarMotion';

/** Above the head's centre, clear of a beanie's pom-pom. */
const TAG_HEIGHT = 0.36;
const TAG_WIDTH = 0.7;
/** How far the torso may trail the head across the floor (a lean), metres. */
const TORSO_TRAIL = 0.04;

const DEVICE_LABELS: Record<string, string> = { desktop: 'desktop', vr: 'VR', ar: 'AR', mobile: 'phone' };

/** Name tag colour of someone whose connection is down: grey, whatever their own colour. */
const AWAY_COLOUR = '#8a8f98';

/** The tag's second line: "editor · VR", and "(away)" while their connection is down. */
export function tagDetailOf(role: string, device: string, connected = true): string {
  const text = `${role} · ${DEVICE_LABELS[device] ?? device}`;
  return connected ? text : `${text} (away)`;
}

/** The whole tag as one line of text (for tests and the who-is-here list): "Ann · editor · VR". */
export function tagTextOf(name: string, role: string, device: string, connected = true): string {
  return `${name} · ${tagDetailOf(role, device, connected)}`;
}

export class RemoteAvatar {
  /** Follows the head's position only; the head mesh and the tag hang off it. */
  private readonly anchor: TransformNode;
  /** Hangs under the head and turns after it. */
  private readonly torsoNode: TransformNode;
  private headMesh: Mesh;
  private torso: Mesh;
  private hands: [Mesh, Mesh];
  private mouth: Mesh | null = null;
  private tag: Mesh;
  /** A raised hand, the megaphone and reactions, above the tag. */
  readonly marks: SocialMarks;
  private readonly samples: PoseSample[] = [];
  private look: AvatarLook;
  private chosen = false;
  private role = 'editor';
  private device = 'desktop';
  private connected = true;
  private talking = 0;
  private gait: Gait | null = null;
  private torsoYaw = 0;
  private turning = false;
  private lastUpdate = 0;

  constructor(
    private readonly scene: Scene,
    readonly participantId: string,
    private name: string,
    private colour: string,
  ) {
    const id = `avatar-${participantId}`;
    this.anchor = new TransformNode(id, scene);
    this.torsoNode = new TransformNode(`${id}-body`, scene);
    this.torsoNode.rotationQuaternion = new Quaternion();
    this.look = defaultLook(colour);
    this.headMesh = this.makeHead();
    this.torso = this.makeTorso();
    this.hands = this.makeHands();
    this.tag = this.makeTag();
    this.marks = new SocialMarks(scene, this.anchor, id, { tagHeight: TAG_HEIGHT, tagWidth: TAG_WIDTH });
  }

  /** The head mesh (rotates with the head); the mesh tests look for. */
  get head(): Mesh {
    return this.headMesh;
  }

  /** The look drawn now: the one they chose, or the default made from their colour. */
  get currentLook(): AvatarLook {
    return this.look;
  }

  /** Meshes drawn for this avatar (each one draw call): head, torso, two hands, tag, and a mouth while talking. */
  get meshCount(): number {
    return 5 + (this.mouth ? 1 : 0);
  }

  setIdentity(name: string, colour: string): void {
    if (name === this.name && colour === this.colour) return;
    const colourChanged = colour !== this.colour;
    this.name = name;
    this.colour = colour;
    // someone who never chose a look wears their colour: follow it when it changes
    if (colourChanged && !this.chosen) this.applyLook(defaultLook(colour));
    this.refreshTag();
  }

  /** Dresses the avatar in `look`; null goes back to the default made from their colour. */
  setLook(look: AvatarLook | null): void {
    this.chosen = look !== null;
    this.applyLook(look ?? defaultLook(this.colour));
  }

  /** Their role in this world, shown on the tag. */
  setRole(role: string): void {
    if (role === this.role) return;
    this.role = role;
    this.refreshTag();
  }

  /** What they use (desktop, VR, AR, phone), shown on the tag. */
  setDevice(device: string): void {
    if (device === this.device) return;
    this.device = device;
    this.refreshTag();
  }

  /**
   * How loudly they are talking, 0 (silent) to 1, for a voice meter to call: the mouth opens and
   * the head nods a little while it is above 0.
   */
  setTalking(level: number): void {
    this.talking = Number.isFinite(level) ? Math.max(0, Math.min(1, level)) : 0;
    if (this.talking > 0 && !this.mouth) {
      this.mouth = buildMouth(this.scene, `avatar-${this.participantId}-mouth`);
      this.mouth.parent = this.headMesh;
      this.mouth.position.set(0, -0.06, -0.108);
      this.mouth.scaling.set(1, 0.2, 0.4);
    }
  }

  /** Their raised hand and megaphone, shown over the name tag. */
  setBadges(hand: boolean, megaphone: boolean): void {
    this.marks.setBadges(hand, megaphone);
  }

  /** A reaction of theirs, rising from their head. */
  react(reaction: Reaction, now: number): void {
    this.marks.react(reaction, now);
  }

  /** The name tag's text as drawn, on one line. */
  get tagText(): string {
    return tagTextOf(this.name, this.role, this.device, this.connected);
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
      this.refreshTag();
    }
    this.applyVisibility();
  }

  addSample(t: number, head: Pose, left: Pose | null, right: Pose | null): void {
    pushSample(this.samples, { t, head, left, right });
  }

  /** Places the avatar where the participant was RENDER_DELAY_MS ago, and moves the body on. */
  update(now: number): void {
    this.marks.update(now);
    const pose = sampleAt(this.samples, now - RENDER_DELAY_MS);
    if (!pose) return;
    const dt = this.lastUpdate ? Math.min(0.25, (now - this.lastUpdate) / 1000) : 0;
    this.lastUpdate = now;
    const [x, y, z, qx, qy, qz, qw] = pose.head;
    this.anchor.position.set(x, y, z);
    const headRotation = (this.headMesh.rotationQuaternion ??= new Quaternion());
    headRotation.set(qx, qy, qz, qw);
    const headYaw = headRotation.toEulerAngles().y;

    this.gait = this.gait ? stepGait(this.gait, x, z, dt) : newGait(x, z);
    const motion = bodyMotion(this.gait);
    const turn = followYaw(this.torsoYaw, headYaw, dt, this.turning, this.gait.walking);
    this.torsoYaw = turn.yaw;
    this.turning = turn.turning;

    const talk = talkMotion(this.talking, this.gait.time);
    if (talk.nod) headRotation.multiplyInPlace(Quaternion.RotationAxis(Vector3.Right(), talk.nod));
    if (this.mouth) this.mouth.scaling.y = 0.15 + talk.mouth * 0.55;

    // the torso trails the head a little (a lean), never so far that the neck comes apart
    const t = this.torsoNode.position;
    const lag = Math.min(1, dt * 12);
    t.x += (x - t.x) * (dt ? lag : 1);
    t.z += (z - t.z) * (dt ? lag : 1);
    const dx = t.x - x;
    const dz = t.z - z;
    const trail = Math.hypot(dx, dz);
    if (trail > TORSO_TRAIL) {
      t.x = x + (dx / trail) * TORSO_TRAIL;
      t.z = z + (dz / trail) * TORSO_TRAIL;
    }
    t.y = y - motion.bob;
    Quaternion.RotationYawPitchRollToRef(this.torsoYaw, 0, motion.sway, this.torsoNode.rotationQuaternion!);
    this.torso.scaling.set(motion.breath, 1 + (motion.breath - 1) * 0.5, motion.breath);

    this.placeHand(this.hands[0], pose.left, -1, motion.swing);
    this.placeHand(this.hands[1], pose.right, 1, -motion.swing);
  }

  /** Which way they look across the floor (right-handed yaw, 0 down -Z), as their body turns. */
  get headingYaw(): number {
    return this.torsoYaw;
  }

  /** World position of the head as drawn (for tests and the who-is-here list). */
  get headPosition(): Vector3 {
    return this.anchor.position;
  }

  private placeHand(hand: Mesh, pose: Pose | null, side: number, swing: number): void {
    const rotation = (hand.rotationQuaternion ??= new Quaternion());
    if (pose) {
      hand.position.set(pose[0], pose[1], pose[2]);
      rotation.set(pose[3], pose[4], pose[5], pose[6]);
      return;
    }
    // resting at the side of the torso, swinging while walking, pointing forward
    const offset = new Vector3(side * RESTING_HAND.x, RESTING_HAND.y, RESTING_HAND.z - swing);
    offset.rotateByQuaternionToRef(this.torsoNode.rotationQuaternion!, offset);
    hand.position.copyFrom(this.torsoNode.position).addInPlace(offset);
    rotation.copyFrom(this.torsoNode.rotationQuaternion!);
  }

  private applyLook(look: AvatarLook): void {
    if (sameLook(look, this.look) && !this.headMesh.isDisposed()) return;
    this.look = look;
    const rotation = this.headMesh.rotationQuaternion?.clone() ?? new Quaternion();
    const mouth = this.mouth;
    this.mouth = null;
    mouth?.dispose(false, false);
    this.headMesh.dispose(false, false);
    this.headMesh = this.makeHead();
    this.headMesh.rotationQuaternion = rotation;
    if (this.talking > 0) this.setTalking(this.talking);
    const breath = this.torso.scaling.clone();
    this.torso.dispose(false, false);
    this.torso = this.makeTorso();
    this.torso.scaling.copyFrom(breath);
    const placed = this.hands.map((h) => ({ p: h.position.clone(), q: h.rotationQuaternion?.clone() ?? new Quaternion() }));
    for (const hand of this.hands) hand.dispose(false, false);
    this.hands = this.makeHands();
    this.hands.forEach((h, i) => {
      h.position.copyFrom(placed[i]!.p);
      h.rotationQuaternion = placed[i]!.q;
    });
    this.applyVisibility();
  }

  private makeHead(): Mesh {
    const head = buildHead(this.scene, `avatar-${this.participantId}-head`, this.look);
    head.parent = this.anchor;
    head.rotationQuaternion = new Quaternion();
    return head;
  }

  private makeTorso(): Mesh {
    const torso = buildTorso(this.scene, `avatar-${this.participantId}-torso`, this.look);
    torso.parent = this.torsoNode;
    // its breathing alone need not be drawn at the full frame rate
    markAmbient(torso);
    return torso;
  }

  private makeHands(): [Mesh, Mesh] {
    return [0, 1].map((i) => buildHand(this.scene, `avatar-${this.participantId}-hand-${i}`, this.look)) as [Mesh, Mesh];
  }

  private makeTag(): Mesh {
    const tag = createNameTag(this.scene, `avatar-${this.participantId}-tag`, this.name, tagDetailOf(this.role, this.device, this.connected), this.connected ? this.colour : AWAY_COLOUR, TAG_WIDTH);
    tag.parent = this.anchor;
    tag.position.y = TAG_HEIGHT;
    return tag;
  }

  private refreshTag(): void {
    disposeLabel(this.tag);
    this.tag = this.makeTag();
    this.applyVisibility();
  }

  private applyVisibility(): void {
    const v = this.connected ? 1 : 0.35;
    for (const mesh of [this.headMesh, this.torso, ...this.hands, this.tag]) mesh.visibility = v;
  }

  dispose(): void {
    this.marks.dispose();
    disposeLabel(this.tag);
    this.mouth?.dispose(false, false);
    this.headMesh.dispose(false, false);
    this.torso.dispose(false, false);
    for (const hand of this.hands) hand.dispose(false, false);
    this.torsoNode.dispose(false, false);
    this.anchor.dispose(false, false);
  }
}
