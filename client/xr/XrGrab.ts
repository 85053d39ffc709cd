/**
 * Grabbing documents with controllers and hands, through the same server-granted hold as on the
 * desktop: squeeze (or pinch, or the trigger) near a document or with its ray on it asks for the
 * hold; once granted the document comes to reading distance and size in front of the head, towards
 * the hand, upright (see holdComfort.ts), moves go out throttled by the session, and letting go
 * drops it level where it is. A second hand squeezing the same document scales it. Page controls
 * are pressed through the controls routing (xrControlsRouting.ts), which sees every select before
 * it comes here.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { Ray } from '@babylonjs/core/Culling/ray';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { ErrorCode, type IntentError } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import type { DocumentLayer } from '../scene/DocumentLayer';
import { isDocumentMesh, type PanelPickData } from '../scene/PlacedDocument';
import { heldPose, levelRotation, readingScale, twoHandScale, wrapAngle } from './holdComfort';
import { yawOf } from './xrMaths';
import { pulse } from './haptics';

/** How far a far grab reaches, and how close a hand must be for a near grab (metres). */
const RAY_LENGTH = 12;
const NEAR_DISTANCE = 0.12;
const HOLD_KEEPALIVE_MS = 4000;
/** How long a grabbed document takes to fly from where it was to the reading spot. */
const FLY_IN_MS = 250;

/** A second hand on a held document: the hands' spread and the scale when it took hold. */
interface ScaleGrip {
  source: WebXRInputSource;
  trigger: 'squeeze' | 'select';
  startSpread: number;
  startScale: number;
}

interface Hold {
  docId: string;
  source: WebXRInputSource;
  /** The event that started it ('squeeze' or 'select'); its end lets go. */
  trigger: 'squeeze' | 'select';
  /** The hand's yaw when grabbed: turning the hand about the vertical turns the document as much. */
  grabYaw: number;
  /** Where the document was when the hold was granted, and when: it flies from there to the hand. */
  from: { position: Vector3; rotation: Quaternion; scale: number; at: number } | null;
  /** The document's yaw and scale as last placed (what it keeps when let go). */
  yaw: number;
  scale: number;
  second: ScaleGrip | null;
  granted: boolean;
  releasePending: boolean;
  lastSent: number;
}

export class XrGrab {
  private holds: Hold[] = [];
  /** A document was let go on purpose (not lost with its hand or the session): it may be set down on a chain. */
  /**
   * A document let go by hand: `hand` is where the hand was. A held document sits at reading
   * distance in front of the head, so what it was put on is judged by the hand as well as the panel.
   */
  onDropped: (docId: string, hand: Vector3) => void = () => undefined;
  private readonly stopErrors: () => void;

  constructor(
    private readonly scene: Scene,
    private readonly session: WorldSession,
    private readonly documents: DocumentLayer,
    private readonly notify: (message: string) => void,
    /** Where a tracked hand's index fingertip is, or null for controllers. */
    private readonly fingertip: (source: WebXRInputSource) => Vector3 | null,
    /** Where the person's head is in the world. */
    private readonly head: () => Vector3,
  ) {
    this.stopErrors = session.onIntentError((e) => this.onIntentError(e));
  }

  /** The document held by this browser through XR right now, if granted. */
  get holding(): string | null {
    return this.holds.find((h) => h.granted)?.docId ?? null;
  }

  /** A select/squeeze began on an input source. */
  start(source: WebXRInputSource, trigger: 'squeeze' | 'select'): void {
    if (this.holds.some((h) => h.source === source)) return;
    const near = this.nearDocument(source);
    const pick = near ? null : this.pickAlongRay(source);
    const data = (near ?? pick?.pickedMesh)?.metadata as PanelPickData | null | undefined;
    if (!data) return;
    if (trigger === 'select' && (data.part === 'prev' || data.part === 'next' || data.part === 'spread')) {
      this.press(data.docId, data.part);
      return;
    }
    const placed = this.documents.documents.get(data.docId);
    if (!placed) return;
    const held = this.holds.find((h) => h.docId === data.docId);
    if (held) {
      // a second hand on a document this person holds scales it
      if (held.granted && !held.second && held.source !== source) {
        held.second = { source, trigger, startSpread: this.spread(held.source, source), startScale: held.scale };
      }
      return;
    }
    const grabYaw = this.handYaw(source);
    const scale = readingScale(placed.halfHeight);
    this.holds.push({ docId: data.docId, source, trigger, grabYaw, from: null, yaw: 0, scale, second: null, granted: false, releasePending: false, lastSent: 0 });
    this.session.grab(data.docId);
  }

  /** A select/squeeze ended on an input source. */
  end(source: WebXRInputSource, trigger: 'squeeze' | 'select'): void {
    for (const h of this.holds) if (h.second?.source === source && h.second.trigger === trigger) h.second = null;
    const hold = this.holds.find((h) => h.source === source && h.trigger === trigger);
    if (!hold) return;
    if (hold.granted) this.finish(hold, true);
    else hold.releasePending = true;
  }

  /** An input source went away (controller put down, hand lost): let go of what it held. */
  lost(source: WebXRInputSource): void {
    for (const h of this.holds) if (h.second?.source === source) h.second = null;
    for (const hold of this.holds.filter((h) => h.source === source)) {
      if (hold.granted) this.finish(hold);
      else hold.releasePending = true;
    }
  }

  /** Every frame: follow grants, move held documents with their hands. */
  update(sources: readonly WebXRInputSource[], now: number): void {
    const me = this.session.sessionId;
    for (const hold of [...this.holds]) {
      const heldBy = this.session.state.documents.get(hold.docId)?.heldBy;
      if (heldBy === undefined) {
        this.drop(hold);
        continue;
      }
      if (!hold.granted && heldBy === me) {
        hold.granted = true;
        pulse(hold.source, 'grab');
        const placed = this.documents.documents.get(hold.docId);
        placed?.setLocal(true);
        if (placed) hold.from = { position: placed.position.clone(), rotation: placed.rotation.clone(), scale: placed.scale, at: now };
        if (hold.releasePending) {
          this.finish(hold, true);
          continue;
        }
      } else if (hold.granted && heldBy !== me) {
        // the server took the hold away (e.g. after a reconnect)
        this.drop(hold);
        continue;
      }
      if (hold.granted) this.follow(hold, now);
    }
  }

  private follow(hold: Hold, now: number): void {
    const placed = this.documents.documents.get(hold.docId);
    if (!placed) return;
    if (hold.second) hold.scale = twoHandScale(hold.second.startScale, hold.second.startSpread, this.spread(hold.source, hold.second.source));
    const head = this.head();
    const aim = this.aimPoint(hold.source, head);
    // a hand turns the document about the vertical; a phone's ray only carries it
    const turn = hold.source.inputSource.targetRayMode === 'tracked-pointer' ? wrapAngle(this.handYaw(hold.source) - hold.grabYaw) : 0;
    const pose = heldPose([head.x, head.y, head.z], [aim.x, aim.y, aim.z], turn);
    hold.yaw = pose.yaw;
    let position = Vector3.FromArray(pose.position);
    let rotation = Quaternion.FromArray(pose.rotation);
    let scale = hold.scale;
    // the first moments of a hold fly the document from where it was, so the eye can follow it
    const k = hold.from ? Math.min(1, (now - hold.from.at) / FLY_IN_MS) : 1;
    if (hold.from && k < 1) {
      position = Vector3.Lerp(hold.from.position, position, k);
      rotation = Quaternion.Slerp(hold.from.rotation, rotation, k);
      scale = hold.from.scale + (scale - hold.from.scale) * k;
    } else hold.from = null;
    const moved = !position.equalsWithEpsilon(placed.position, 1e-4) || Math.abs(scale - placed.scale) > 1e-4;
    placed.moveLocally(position, rotation, scale);
    // a still hand still renews the hold now and then, like a held mouse button on the desktop
    if (moved || now - hold.lastSent > HOLD_KEEPALIVE_MS) {
      hold.lastSent = now;
      this.session.move(hold.docId, [position.x, position.y, position.z], [rotation.x, rotation.y, rotation.z, rotation.w], scale);
    }
  }

  /** Lets go: the document stays where it is, upright and level, at the size it was held. */
  private finish(hold: Hold, dropped = false): void {
    const placed = this.documents.documents.get(hold.docId);
    if (placed && hold.granted && hold.lastSent > 0) {
      const level = Quaternion.FromArray(levelRotation(hold.yaw));
      placed.moveLocally(placed.position, level, placed.scale);
      const p = placed.position;
      this.session.move(hold.docId, [p.x, p.y, p.z], [level.x, level.y, level.z, level.w], placed.scale);
    }
    this.session.release(hold.docId);
    this.drop(hold);
    if (dropped) this.onDropped(hold.docId, this.handNode(hold.source).absolutePosition.clone());
  }

  private drop(hold: Hold): void {
    this.documents.documents.get(hold.docId)?.setLocal(false);
    this.holds = this.holds.filter((h) => h !== hold);
  }

  private press(docId: string, control: 'prev' | 'next' | 'spread'): void {
    this.documents.panel(docId)?.useControl(control);
  }

  /** The hand: the grip where there is one, else the pointer, with its world matrix up to date. */
  private handNode(source: WebXRInputSource) {
    const node = source.grip ?? source.pointer;
    node.computeWorldMatrix(true);
    return node;
  }

  /**
   * A point the held document goes towards from the head: the hand itself for controllers and
   * tracked hands; along the ray for a touch on a phone's screen, which starts at the eye.
   */
  private aimPoint(source: WebXRInputSource, head: Vector3): Vector3 {
    if (source.inputSource.targetRayMode === 'tracked-pointer') return this.handNode(source).absolutePosition;
    const ray = new Ray(Vector3.Zero(), Vector3.Forward(), 1);
    source.getWorldPointerRayToRef(ray);
    return head.add(ray.direction);
  }

  /** Which way the hand points about the vertical (radians). */
  private handYaw(source: WebXRInputSource): number {
    const q = this.handNode(source).absoluteRotationQuaternion ?? Quaternion.Identity();
    return yawOf([q.x, q.y, q.z, q.w]);
  }

  private spread(a: WebXRInputSource, b: WebXRInputSource): number {
    return Vector3.Distance(this.handNode(a).absolutePosition, this.handNode(b).absolutePosition);
  }

  private nearDocument(source: WebXRInputSource): AbstractMesh | null {
    const node = source.grip ?? source.pointer;
    const at = node.absolutePosition;
    let best: AbstractMesh | null = null;
    let bestDistance = NEAR_DISTANCE;
    for (const mesh of this.scene.meshes) {
      if (!isDocumentMesh(mesh) || !mesh.isEnabled()) continue;
      const box = mesh.getBoundingInfo().boundingBox;
      const closest = Vector3.Clamp(at, box.minimumWorld, box.maximumWorld);
      const distance = Vector3.Distance(closest, at);
      if (distance <= bestDistance) {
        best = mesh;
        bestDistance = distance;
      }
    }
    return best;
  }

  private pickAlongRay(source: WebXRInputSource) {
    const ray = new Ray(Vector3.Zero(), Vector3.Forward(), RAY_LENGTH);
    source.getWorldPointerRayToRef(ray);
    const pick = this.scene.pickWithRay(ray, isDocumentMesh);
    return pick?.hit ? pick : null;
  }

  private onIntentError(e: IntentError): void {
    if (e.intent !== 'grab' && e.code !== ErrorCode.NOT_HOLDER) return;
    const hold = this.holds.find((h) => !h.granted);
    if (!hold) return;
    this.drop(hold);
    if (e.code === ErrorCode.HELD_BY_OTHER) {
      const holder = this.session.state.documents.get(hold.docId)?.heldBy ?? '';
      this.notify(`Held by ${this.session.nameOf(holder)}`);
    } else this.notify(e.message);
  }

  dispose(): void {
    for (const hold of [...this.holds]) {
      if (hold.granted) this.finish(hold);
      else this.drop(hold);
    }
    this.stopErrors();
  }
}
