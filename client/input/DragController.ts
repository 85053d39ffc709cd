/**
 * Grab, move, turn, scale and release documents with a mouse or a finger. Pointer down on a
 * document asks the server for the hold; once granted the document follows the pointer at the
 * distance it was grabbed at (turning to face the viewer), moves go out throttled, and pointer up
 * releases it; while holding, HoldGestures turn and scale it. Events on documents never reach the
 * camera, so dragging one does not turn the view.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { PointerEventTypes, type PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import type { PickingInfo } from '@babylonjs/core/Collisions/pickingInfo';
import { Matrix, Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { ROOM_HALF_SIZE, ROOM_HEIGHT } from '../../shared/model/worlds';
import { ErrorCode, MAX_SCALE, MIN_SCALE, type IntentError } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import { HoldGestures } from './HoldGestures';
import { isDocumentMesh, type PanelPickData, type PlacedDocument } from '../scene/PlacedDocument';

export interface DragHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  document(docId: string): PlacedDocument | undefined;
  /** Tells the person something went wrong (e.g. "Held by Ann"). */
  notify(message: string): void;
  /** Gets the first look at a press on a document; true means it was handled (no grab). */
  claimPress(pick: PickingInfo, event: PointerEvent): boolean;
  /** A held document was let go with the pointer at this canvas point (e.g. over a chain). */
  released?(docId: string, x: number, y: number): void;
}

interface Drag {
  docId: string;
  pointerId: number;
  /** Distance from the eye to the grabbed point, kept while dragging. */
  distance: number;
  /** Document centre minus grabbed point, so it does not jump to centre on the pointer. */
  offset: Vector3;
  /** Turn added to "facing the eye", from Q/E and shift+wheel. */
  yaw: number;
  scale: number;
  granted: boolean;
  /** Pointer went up before the hold was granted: release as soon as it is. */
  releasePending: boolean;
  /** Refused or lost: swallow the rest of this gesture and do nothing. */
  cancelled: boolean;
  /** Where the pointer wants the document; sent once the hold is granted. */
  target: { position: Vector3; rotation: Quaternion } | null;
}

/**
 * The server frees a hold whose holder goes silent (see HOLD_LEASE_SECONDS, 15 s by default); a
 * person keeping the button down on a still document is not silent, so the hold is renewed meanwhile.
 */
const HOLD_KEEPALIVE_MS = 4000;

export class DragController {
  private drag: Drag | null = null;
  private keepAlive: ReturnType<typeof setInterval> | null = null;
  private readonly gestures: HoldGestures;
  private readonly observer: Observer<PointerInfoPre>;
  private readonly stopErrors: () => void;

  constructor(private readonly host: DragHost) {
    this.gestures = new HoldGestures(host.scene, host.camera);
    this.observer = host.scene.onPrePointerObservable.add((info) => this.onPointer(info));
    this.stopErrors = host.session.onIntentError((e) => this.onIntentError(e));
  }

  /** The document this browser holds right now, if the server granted it. */
  get holding(): string | null {
    return this.drag?.granted && !this.drag.cancelled ? this.drag.docId : null;
  }

  /** Call when a document's holder changes on the server. */
  onHolderChanged(docId: string, heldBy: string): void {
    const drag = this.drag;
    if (!drag || drag.docId !== docId || drag.cancelled) return;
    const mine = heldBy === this.host.session.sessionId;
    if (mine && !drag.granted) {
      drag.granted = true;
      this.host.document(docId)?.setLocal(true);
      this.gestures.hold({ turn: (r) => this.turnHeld(r), scale: (f) => this.scaleHeld(f) });
      this.startKeepAlive(drag);
      if (drag.target) this.sendTarget(drag);
      if (drag.releasePending) this.finish(drag);
    } else if (!mine && drag.granted) {
      // the server took the hold away (e.g. after a reconnect): stop pretending we move it
      this.cancel(drag);
    }
  }

  private onPointer(info: PointerInfoPre): void {
    switch (info.type) {
      case PointerEventTypes.POINTERDOWN:
        return this.onDown(info);
      case PointerEventTypes.POINTERMOVE:
        return this.onMove(info);
      case PointerEventTypes.POINTERUP:
        return this.onUp(info);
      default:
        return;
    }
  }

  private onDown(info: PointerInfoPre): void {
    const event = info.event as PointerEvent;
    // a click whose grab was never answered (connection trouble) must not block every later drag;
    // if the grant still comes, the server's hold lease frees the document
    if (this.drag?.releasePending) this.drag = null;
    if (this.drag) return;
    const { scene, camera } = this.host;
    const pick = scene.pick(info.localPosition.x, info.localPosition.y, isDocumentMesh, false, camera);
    const docId = (pick.pickedMesh?.metadata as PanelPickData | null)?.docId;
    const placed = docId ? this.host.document(docId) : undefined;
    if (!docId || !placed || !pick.pickedPoint) return;
    info.skipOnPointerObservable = true;
    if (this.host.claimPress(pick, event) || event.button !== 0) return;
    const pointerId = event.pointerId ?? 1;
    this.drag = {
      docId,
      pointerId,
      distance: Vector3.Distance(camera.globalPosition, pick.pickedPoint),
      offset: placed.position.subtract(pick.pickedPoint),
      yaw: 0,
      scale: placed.scale,
      granted: false,
      releasePending: false,
      cancelled: false,
      target: null,
    };
    try {
      this.host.canvas.setPointerCapture(pointerId);
    } catch {
      // synthetic pointers cannot be captured; dragging still works while over the canvas
    }
    this.host.canvas.style.cursor = 'grabbing';
    this.host.session.grab(docId);
  }

  private onMove(info: PointerInfoPre): void {
    const drag = this.drag;
    if (!drag || !this.samePointer(info, drag)) return;
    info.skipOnPointerObservable = true;
    if (drag.cancelled) return;
    drag.target = this.targetFor(info.localPosition.x, info.localPosition.y, drag);
    if (drag.granted) this.sendTarget(drag);
  }

  private onUp(info: PointerInfoPre): void {
    const drag = this.drag;
    if (!drag || !this.samePointer(info, drag)) return;
    info.skipOnPointerObservable = true;
    try {
      this.host.canvas.releasePointerCapture(drag.pointerId);
    } catch {
      /* see setPointerCapture */
    }
    this.host.canvas.style.cursor = '';
    if (drag.cancelled) this.drag = null;
    else if (drag.granted) this.finish(drag);
    else drag.releasePending = true;
  }

  /** Turns the held document about its vertical axis (positive = counter-clockwise from above). */
  turnHeld(radians: number): void {
    const drag = this.drag;
    if (!drag || !this.holding) return;
    drag.yaw += radians;
    this.retarget(drag);
  }

  /** Scales the held document by a factor, within the limits the server accepts. */
  scaleHeld(factor: number): void {
    const drag = this.drag;
    if (!drag || !this.holding) return;
    drag.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, drag.scale * factor));
    this.retarget(drag);
  }

  /** Re-aims a drag at the pointer's last place after a turn or scale. */
  private retarget(drag: Drag): void {
    const { scene } = this.host;
    drag.target = this.targetFor(scene.pointerX, scene.pointerY, drag);
    this.sendTarget(drag);
  }

  private samePointer(info: PointerInfoPre, drag: Drag): boolean {
    return ((info.event as PointerEvent).pointerId ?? 1) === drag.pointerId;
  }

  /** Where the document goes for a pointer: on the grab sphere, inside the room, facing the eye. */
  private targetFor(x: number, y: number, drag: Drag): NonNullable<Drag['target']> {
    const { scene, camera } = this.host;
    const ray = scene.createPickingRay(x, y, Matrix.Identity(), camera);
    const position = ray.origin.add(ray.direction.scale(drag.distance)).addInPlace(drag.offset);
    const halfHeight = (this.host.document(drag.docId)?.halfHeight ?? 0.5) * drag.scale;
    const limit = ROOM_HALF_SIZE - 0.05;
    position.x = Math.min(limit, Math.max(-limit, position.x));
    position.z = Math.min(limit, Math.max(-limit, position.z));
    position.y = Math.min(ROOM_HEIGHT - halfHeight, Math.max(Math.min(halfHeight, ROOM_HEIGHT / 2), position.y));
    // a document's readable side is its +Z; turn it (about the vertical only) towards the eye
    const toEye = camera.globalPosition.subtract(position);
    const rotation = Quaternion.RotationAxis(Vector3.Up(), Math.atan2(toEye.x, toEye.z) + drag.yaw);
    return { position, rotation };
  }

  private sendTarget(drag: Drag): void {
    const target = drag.target;
    const placed = this.host.document(drag.docId);
    if (!target || !placed) return;
    placed.moveLocally(target.position, target.rotation, drag.scale);
    const { position: p, rotation: q } = target;
    this.host.session.move(drag.docId, [p.x, p.y, p.z], [q.x, q.y, q.z, q.w], drag.scale);
  }

  private startKeepAlive(drag: Drag): void {
    this.stopKeepAlive();
    this.keepAlive = setInterval(() => {
      const placed = this.host.document(drag.docId);
      if (this.drag !== drag || drag.cancelled || !placed) return this.stopKeepAlive();
      drag.target ??= { position: placed.position.clone(), rotation: placed.rotation.clone() };
      this.sendTarget(drag);
    }, HOLD_KEEPALIVE_MS);
  }

  private stopKeepAlive(): void {
    if (this.keepAlive !== null) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  private finish(drag: Drag): void {
    this.stopKeepAlive();
    this.gestures.hold(null);
    this.host.session.release(drag.docId);
    this.host.document(drag.docId)?.setLocal(false);
    this.drag = null;
    this.host.released?.(drag.docId, this.host.scene.pointerX, this.host.scene.pointerY);
  }

  private cancel(drag: Drag): void {
    this.stopKeepAlive();
    this.gestures.hold(null);
    drag.cancelled = true;
    this.host.document(drag.docId)?.setLocal(false);
  }

  private onIntentError(e: IntentError): void {
    const drag = this.drag;
    if (!drag || drag.cancelled) return;
    if (e.intent !== 'grab' && e.code !== ErrorCode.NOT_HOLDER) return;
    this.cancel(drag);
    // with the pointer already up the gesture is over; otherwise pointer up will end it
    if (drag.releasePending) this.drag = null;
    this.notifyRefusal(drag.docId, e);
  }

  private notifyRefusal(docId: string, e: IntentError): void {
    if (e.code === ErrorCode.HELD_BY_OTHER) {
      const holder = this.host.session.state.documents.get(docId)?.heldBy ?? '';
      this.host.notify(`Held by ${this.host.session.nameOf(holder)}`);
    } else {
      this.host.notify(e.message);
    }
  }

  dispose(): void {
    this.stopKeepAlive();
    this.gestures.dispose();
    this.observer.remove();
    this.stopErrors();
    this.drag = null;
  }
}
