/**
 * Moving props with the mouse while the world editor is open. A press on a prop selects it and asks
 * the server for the hold; once granted the prop slides along the floor under the pointer (keeping
 * its height and the offset it was grabbed at), Q/E or shift+wheel turn it and the wheel scales it
 * (HoldGestures), and pointer up lets it go. Delete or Backspace removes the selected prop, Ctrl+Z
 * undoes this person's last change. Refusals are told with the server's reason.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { PointerEventTypes, type PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import { Matrix } from '@babylonjs/core/Maths/math.vector';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import { ErrorCode, type IntentError, type Quat, type Vec3 } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import type { PropIntents } from '../net/propIntents';
import type { PropLayer } from '../scene/props/PropLayer';
import { floorPoint, yawOfQuat, yawQuat } from '../scene/props/propMaths';
import { HoldGestures } from './HoldGestures';

export interface PropEditorHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  props: PropLayer;
  intents: PropIntents;
  notify(message: string): void;
  /** The selected prop changed (null: none). */
  selected?(propId: string | null): void;
}

interface Drag {
  propId: string;
  pointerId: number;
  /** Prop position minus the floor point grabbed, so it does not jump to the pointer. */
  offset: [number, number];
  y: number;
  yaw: number;
  scale: number;
  position: Vec3 | null;
  granted: boolean;
  releasePending: boolean;
  cancelled: boolean;
}

const HOLD_KEEPALIVE_MS = 4000;

export class PropEditor {
  private on = false;
  private drag: Drag | null = null;
  private selectedId: string | null = null;
  private readonly gestures: HoldGestures;
  private readonly pointer: Observer<PointerInfoPre>;
  private readonly frame: Observer<Scene>;
  private readonly stopErrors: () => void;
  private lastSent = 0;
  private readonly onKey = (e: KeyboardEvent) => this.key(e);

  constructor(private readonly host: PropEditorHost) {
    this.gestures = new HoldGestures(host.scene, host.camera);
    // ahead of documents and the camera, so a press on a prop moves the prop and nothing else
    this.pointer = host.scene.onPrePointerObservable.add((info, state) => {
      if (this.onPointer(info)) {
        info.skipOnPointerObservable = true;
        state.skipNextObservers = true;
      }
    }, undefined, true);
    this.frame = host.scene.onBeforeRenderObservable.add(() => this.followGrant());
    this.stopErrors = host.session.onIntentError((e) => this.onError(e));
    window.addEventListener('keydown', this.onKey);
  }

  get editing(): boolean {
    return this.on;
  }

  get selected(): string | null {
    return this.selectedId;
  }

  setEditing(on: boolean): void {
    this.on = on;
    this.host.props.setEditing(on);
    if (!on) {
      if (this.drag?.granted && !this.drag.cancelled) this.finish(this.drag);
      this.drag = null;
      this.select(null);
    }
  }

  /** Removes the selected prop (the panel's Remove button, or Delete). */
  removeSelected(): void {
    if (!this.selectedId) return void this.host.notify('Click a prop first, then remove it.');
    this.host.intents.remove(this.selectedId);
    this.select(null);
  }

  private select(id: string | null): void {
    if (this.selectedId === id) return;
    this.selectedId = id;
    this.host.selected?.(id);
  }

  /** True when the event was the editor's. */
  private onPointer(info: PointerInfoPre): boolean {
    if (!this.on || (info.event as PointerEvent).pointerType === 'xr') return false;
    const event = info.event as PointerEvent;
    const drag = this.drag;
    if (info.type === PointerEventTypes.POINTERDOWN) {
      if (event.button !== 0) return false;
      const id = this.host.props.pickAt(info.localPosition.x, info.localPosition.y, this.host.camera);
      if (!id) return false;
      this.startDrag(id, event.pointerId ?? 1, info.localPosition.x, info.localPosition.y);
      return true;
    }
    if (!drag || (event.pointerId ?? 1) !== drag.pointerId) return false;
    if (info.type === PointerEventTypes.POINTERMOVE) {
      if (!drag.cancelled) this.aim(drag, info.localPosition.x, info.localPosition.y);
    } else if (info.type === PointerEventTypes.POINTERUP) {
      this.host.canvas.style.cursor = '';
      if (drag.cancelled) this.drag = null;
      else if (drag.granted) this.finish(drag);
      else drag.releasePending = true;
    }
    return true;
  }

  private startDrag(id: string, pointerId: number, x: number, y: number): void {
    const shown = this.host.props.shown.get(id);
    if (!shown) return;
    this.select(id);
    const p = shown.position;
    const at = this.floorAt(x, y, p.y);
    this.drag = {
      propId: id,
      pointerId,
      offset: at ? [p.x - at[0], p.z - at[1]] : [0, 0],
      y: p.y,
      yaw: yawOfQuat([shown.rotation.x, shown.rotation.y, shown.rotation.z, shown.rotation.w]),
      scale: shown.scale,
      position: null,
      granted: false,
      releasePending: false,
      cancelled: false,
    };
    this.host.canvas.style.cursor = 'grabbing';
    this.host.intents.grab(id);
  }

  private floorAt(x: number, y: number, height: number): [number, number] | null {
    const ray = this.host.scene.createPickingRay(x, y, Matrix.Identity(), this.host.camera);
    return floorPoint([ray.origin.x, ray.origin.y, ray.origin.z], [ray.direction.x, ray.direction.y, ray.direction.z], height, ROOM_HALF_SIZE);
  }

  private aim(drag: Drag, x: number, y: number): void {
    const at = this.floorAt(x, y, drag.y);
    if (!at) return;
    drag.position = [at[0] + drag.offset[0], drag.y, at[1] + drag.offset[1]];
    if (drag.granted) this.send(drag);
  }

  private send(drag: Drag): void {
    const shown = this.host.props.shown.get(drag.propId);
    const position: Vec3 = drag.position ?? (shown ? [shown.position.x, shown.position.y, shown.position.z] : [0, drag.y, 0]);
    const rotation: Quat = yawQuat(drag.yaw);
    this.host.props.moveLocally(drag.propId, position, rotation, drag.scale);
    this.host.intents.move(drag.propId, position, rotation, drag.scale);
    this.lastSent = performance.now();
  }

  /** Watches for the server's grant, and keeps a still hold alive. */
  private followGrant(): void {
    const drag = this.drag;
    if (!drag || drag.cancelled) return;
    const heldBy = this.host.session.state.props.get(drag.propId)?.heldBy;
    if (heldBy === undefined) return void this.cancel(drag);
    const mine = heldBy === this.host.session.sessionId;
    if (mine && !drag.granted) {
      drag.granted = true;
      this.gestures.hold({
        turn: (r) => {
          drag.yaw += r;
          this.send(drag);
        },
        scale: (f) => {
          drag.scale *= f;
          this.send(drag);
        },
      });
      if (drag.position) this.send(drag);
      if (drag.releasePending) this.finish(drag);
    } else if (drag.granted && !mine) this.cancel(drag);
    else if (drag.granted && performance.now() - this.lastSent > HOLD_KEEPALIVE_MS) this.send(drag);
  }

  private finish(drag: Drag): void {
    this.gestures.hold(null);
    this.host.intents.release(drag.propId);
    this.host.props.setLocal(drag.propId, false);
    if (this.drag === drag) this.drag = null;
  }

  private cancel(drag: Drag): void {
    this.gestures.hold(null);
    drag.cancelled = true;
    this.host.props.setLocal(drag.propId, false);
    if (drag.releasePending) this.drag = null;
  }

  private key(e: KeyboardEvent): void {
    if (!this.on) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      this.host.intents.undo();
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && this.selectedId && !this.drag) {
      e.preventDefault();
      this.removeSelected();
    }
  }

  private onError(e: IntentError): void {
    if (!e.intent?.startsWith('prop')) return;
    const drag = this.drag;
    if (drag && !drag.cancelled && (e.intent === 'propGrab' || e.code === ErrorCode.NOT_HOLDER)) this.cancel(drag);
    this.host.notify(e.message);
  }

  dispose(): void {
    window.removeEventListener('keydown', this.onKey);
    this.setEditing(false);
    this.gestures.dispose();
    this.pointer.remove();
    this.host.scene.onBeforeRenderObservable.remove(this.frame);
    this.stopErrors();
  }
}
