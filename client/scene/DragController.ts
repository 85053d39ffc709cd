/**
 * Grab, move and release documents with a mouse or a finger. Pointer down on a panel asks the
 * server for the hold; once granted the panel follows the pointer at the distance it was grabbed
 * at (turning to face the viewer), moves go out throttled, and pointer up releases it. Events on
 * panels never reach the camera, so dragging a panel does not also turn the view.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { PointerEventTypes, type PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import { Matrix, Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { ROOM_HALF_SIZE, ROOM_HEIGHT } from '../../shared/model/worlds';
import { ErrorCode, type IntentError } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import { PANEL_HEIGHT, type DocumentPanel, type PanelPickData } from './DocumentPanel';

export interface DragHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  panel(docId: string): DocumentPanel | undefined;
  /** Tells the person something went wrong (e.g. "Held by Ann"). */
  notify(message: string): void;
}

interface Drag {
  docId: string;
  pointerId: number;
  /** Distance from the eye to the grabbed point, kept while dragging. */
  distance: number;
  /** Panel centre minus grabbed point, so the panel does not jump to centre on the pointer. */
  offset: Vector3;
  granted: boolean;
  /** Pointer went up before the hold was granted: release as soon as it is. */
  releasePending: boolean;
  /** Refused or lost: swallow the rest of this gesture and do nothing. */
  cancelled: boolean;
  /** Where the pointer wants the panel; sent once the hold is granted. */
  target: { position: Vector3; rotation: Quaternion } | null;
}

/**
 * The server frees a hold whose holder goes silent (see HOLD_LEASE_SECONDS, 15 s by default); a
 * person keeping the button down on a still panel is not silent, so the hold is renewed meanwhile.
 */
const HOLD_KEEPALIVE_MS = 4000;

const isPanelMesh = (mesh: AbstractMesh): boolean => typeof (mesh.metadata as PanelPickData | null)?.docId === 'string';

export class DragController {
  private drag: Drag | null = null;
  private keepAlive: ReturnType<typeof setInterval> | null = null;
  private readonly observer: Observer<PointerInfoPre>;
  private readonly stopErrors: () => void;

  constructor(private readonly host: DragHost) {
    this.observer = host.scene.onPrePointerObservable.add((info) => this.onPointer(info));
    this.stopErrors = host.session.onIntentError((e) => this.onIntentError(e));
  }

  /** Call when a document's holder changes on the server. */
  onHolderChanged(docId: string, heldBy: string): void {
    const drag = this.drag;
    if (!drag || drag.docId !== docId || drag.cancelled) return;
    const mine = heldBy === this.host.session.sessionId;
    if (mine && !drag.granted) {
      drag.granted = true;
      this.host.panel(docId)?.setLocal(true);
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
    if (this.drag || event.button !== 0) return;
    const { scene, camera } = this.host;
    const pick = scene.pick(info.localPosition.x, info.localPosition.y, isPanelMesh, false, camera);
    const docId = (pick.pickedMesh?.metadata as PanelPickData | null)?.docId;
    const panel = docId ? this.host.panel(docId) : undefined;
    if (!docId || !panel || !pick.pickedPoint) return;
    info.skipOnPointerObservable = true;
    const pointerId = event.pointerId ?? 1;
    this.drag = {
      docId,
      pointerId,
      distance: Vector3.Distance(camera.globalPosition, pick.pickedPoint),
      offset: panel.position.subtract(pick.pickedPoint),
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
    drag.target = this.targetFor(info, drag);
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

  private samePointer(info: PointerInfoPre, drag: Drag): boolean {
    return ((info.event as PointerEvent).pointerId ?? 1) === drag.pointerId;
  }

  /** Where the panel goes for this pointer: on the grab sphere, inside the room, facing the eye. */
  private targetFor(info: PointerInfoPre, drag: Drag): Drag['target'] {
    const { scene, camera } = this.host;
    const ray = scene.createPickingRay(info.localPosition.x, info.localPosition.y, Matrix.Identity(), camera);
    const position = ray.origin.add(ray.direction.scale(drag.distance)).addInPlace(drag.offset);
    const scale = this.host.panel(drag.docId)?.root.scaling.y ?? 1;
    const halfHeight = (PANEL_HEIGHT / 2) * scale;
    const limit = ROOM_HALF_SIZE - 0.05;
    position.x = Math.min(limit, Math.max(-limit, position.x));
    position.z = Math.min(limit, Math.max(-limit, position.z));
    position.y = Math.min(ROOM_HEIGHT - halfHeight, Math.max(halfHeight, position.y));
    // a panel's readable side is its +Z; turn it (about the vertical only) towards the eye
    const toEye = camera.globalPosition.subtract(position);
    const rotation = Quaternion.RotationAxis(Vector3.Up(), Math.atan2(toEye.x, toEye.z));
    return { position, rotation };
  }

  private sendTarget(drag: Drag): void {
    const target = drag.target;
    const panel = this.host.panel(drag.docId);
    if (!target || !panel) return;
    panel.moveLocally(target.position, target.rotation);
    const { position: p, rotation: q } = target;
    this.host.session.move(drag.docId, [p.x, p.y, p.z], [q.x, q.y, q.z, q.w]);
  }

  private startKeepAlive(drag: Drag): void {
    this.stopKeepAlive();
    this.keepAlive = setInterval(() => {
      const panel = this.host.panel(drag.docId);
      if (this.drag !== drag || drag.cancelled || !panel) return this.stopKeepAlive();
      drag.target ??= { position: panel.position.clone(), rotation: panel.rotation.clone() };
      this.sendTarget(drag);
    }, HOLD_KEEPALIVE_MS);
  }

  private stopKeepAlive(): void {
    if (this.keepAlive !== null) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  private finish(drag: Drag): void {
    this.stopKeepAlive();
    this.host.session.release(drag.docId);
    this.host.panel(drag.docId)?.setLocal(false);
    this.drag = null;
  }

  private cancel(drag: Drag): void {
    this.stopKeepAlive();
    drag.cancelled = true;
    this.host.panel(drag.docId)?.setLocal(false);
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
    this.observer.remove();
    this.stopErrors();
    this.drag = null;
  }
}
