/**
 * Grabbing documents with controllers and hands, through the same server-granted hold as on the
 * desktop: squeeze (or pinch, or the trigger) near a document or with its ray on it asks for the
 * hold; once granted the document keeps its offset from the hand and follows it, moves go out
 * throttled by the session, and letting go releases it. A trigger or pinch on a page control, or a
 * fingertip touching one, presses it instead.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Matrix, Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { Ray } from '@babylonjs/core/Culling/ray';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { ErrorCode, type IntentError } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import type { DocumentLayer } from '../scene/DocumentLayer';
import { isDocumentMesh } from '../scene/DragController';
import { PanelControl } from '../scene/panelKit';
import type { PanelPickData } from '../scene/PlacedDocument';

/** How far a far grab reaches, and how close a hand must be for a near grab (metres). */
const RAY_LENGTH = 12;
const NEAR_DISTANCE = 0.12;
/** A touched control presses once, then needs the fingertip to leave it. */
const TOUCH_DISTANCE = 0.02;
const HOLD_KEEPALIVE_MS = 4000;

interface Hold {
  docId: string;
  source: WebXRInputSource;
  /** The event that started it ('squeeze' or 'select'); its end lets go. */
  trigger: 'squeeze' | 'select';
  /** The document's pose in the hand's frame, captured when grabbed. */
  offset: Matrix;
  granted: boolean;
  releasePending: boolean;
  lastSent: number;
}

export class XrGrab {
  private holds: Hold[] = [];
  /** A document was let go on purpose (not lost with its hand or the session): it may be set down on a chain. */
  onDropped: (docId: string) => void = () => undefined;
  private readonly touching = new Set<string>();
  private readonly stopErrors: () => void;

  constructor(
    private readonly scene: Scene,
    private readonly session: WorldSession,
    private readonly documents: DocumentLayer,
    private readonly notify: (message: string) => void,
    /** Where a tracked hand's index fingertip is, or null for controllers. */
    private readonly fingertip: (source: WebXRInputSource) => Vector3 | null,
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
    if (!placed || this.holds.some((h) => h.docId === data.docId)) return;
    const hand = this.handMatrix(source);
    const docMatrix = Matrix.Compose(new Vector3(placed.scale, placed.scale, placed.scale), placed.rotation, placed.position);
    const offset = docMatrix.multiply(hand.invert());
    this.holds.push({ docId: data.docId, source, trigger, offset, granted: false, releasePending: false, lastSent: 0 });
    this.session.grab(data.docId);
  }

  /** A select/squeeze ended on an input source. */
  end(source: WebXRInputSource, trigger: 'squeeze' | 'select'): void {
    const hold = this.holds.find((h) => h.source === source && h.trigger === trigger);
    if (!hold) return;
    if (hold.granted) this.finish(hold, true);
    else hold.releasePending = true;
  }

  /** An input source went away (controller put down, hand lost): let go of what it held. */
  lost(source: WebXRInputSource): void {
    for (const hold of this.holds.filter((h) => h.source === source)) {
      if (hold.granted) this.finish(hold);
      else hold.releasePending = true;
    }
  }

  /** Every frame: follow grants, move held documents with their hands, press touched controls. */
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
        this.documents.documents.get(hold.docId)?.setLocal(true);
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
    this.touchControls(sources);
  }

  private follow(hold: Hold, now: number): void {
    const placed = this.documents.documents.get(hold.docId);
    if (!placed) return;
    const world = hold.offset.multiply(this.handMatrix(hold.source));
    const scale = new Vector3();
    const rotation = new Quaternion();
    const position = new Vector3();
    world.decompose(scale, rotation, position);
    const moved = !position.equalsWithEpsilon(placed.position, 1e-4);
    placed.moveLocally(position, rotation, placed.scale);
    // a still hand still renews the hold now and then, like a held mouse button on the desktop
    if (moved || now - hold.lastSent > HOLD_KEEPALIVE_MS) {
      hold.lastSent = now;
      this.session.move(hold.docId, [position.x, position.y, position.z], [rotation.x, rotation.y, rotation.z, rotation.w]);
    }
  }

  private finish(hold: Hold, dropped = false): void {
    this.session.release(hold.docId);
    this.drop(hold);
    if (dropped) this.onDropped(hold.docId);
  }

  private drop(hold: Hold): void {
    this.documents.documents.get(hold.docId)?.setLocal(false);
    this.holds = this.holds.filter((h) => h !== hold);
  }

  private press(docId: string, control: 'prev' | 'next' | 'spread'): void {
    const panel = this.documents.panel(docId);
    const target = panel?.controlTarget(control);
    if (!target) return;
    this.session.turnPage(docId, target.page, control === PanelControl.SPREAD ? target.spread : undefined);
  }

  /** A fingertip (hands) touching a page control presses it once. */
  private touchControls(sources: readonly WebXRInputSource[]): void {
    for (const source of sources) {
      const tip = this.fingertip(source);
      const key = source.uniqueId;
      if (!tip) continue;
      const touched = this.scene.meshes.find((m) => {
        const part = (m.metadata as PanelPickData | null)?.part;
        return (part === 'prev' || part === 'next' || part === 'spread') && m.isEnabled() && m.getBoundingInfo().boundingBox.intersectsMinMax(tip.subtract(new Vector3(TOUCH_DISTANCE, TOUCH_DISTANCE, TOUCH_DISTANCE)), tip.add(new Vector3(TOUCH_DISTANCE, TOUCH_DISTANCE, TOUCH_DISTANCE)));
      });
      if (!touched) {
        this.touching.delete(key);
        continue;
      }
      if (this.touching.has(key)) continue;
      this.touching.add(key);
      const data = touched.metadata as PanelPickData;
      this.press(data.docId, data.part as 'prev' | 'next' | 'spread');
    }
  }

  /** The hand's pose as a matrix: the grip where there is one, else the pointer. */
  private handMatrix(source: WebXRInputSource): Matrix {
    const node = source.grip ?? source.pointer;
    node.computeWorldMatrix(true);
    const rotation = node.absoluteRotationQuaternion ?? Quaternion.Identity();
    return Matrix.Compose(Vector3.One(), rotation, node.absolutePosition);
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
