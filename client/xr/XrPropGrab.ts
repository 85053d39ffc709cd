/**
 * Moving props in VR, for owners and editors: squeeze, or the trigger, with a controller's ray on a
 * prop asks for the hold (the same server-granted hold as on the desktop). Once granted the prop
 * slides along the floor where the ray meets it, upright, at its own height, turning as the hand
 * turns about the vertical; letting go puts it down there. A document in front of a prop is the
 * document's (XrGrab) to take.
 */
import { Ray } from '@babylonjs/core/Culling/ray';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { allowed, type WorldRole } from '../../shared/model/roles';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import { ErrorCode, type IntentError } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import type { PropIntents } from '../net/propIntents';
import type { PropLayer } from '../scene/props/PropLayer';
import { floorPoint, yawOfQuat, yawQuat } from '../scene/props/propMaths';
import { isDocumentMesh } from '../scene/PlacedDocument';
import { pulse } from './haptics';

const RAY_LENGTH = 12;
const HOLD_KEEPALIVE_MS = 4000;

interface Hold {
  propId: string;
  source: WebXRInputSource;
  trigger: 'squeeze' | 'select';
  /** Prop yaw minus hand yaw when grabbed: the prop keeps its turn relative to the hand. */
  yawOffset: number;
  /** Prop position minus where the ray met the floor when grabbed. */
  offset: [number, number];
  y: number;
  scale: number;
  granted: boolean;
  releasePending: boolean;
  lastSent: number;
}

export interface XrProps {
  layer: PropLayer;
  intents: PropIntents;
}

export class XrPropGrab {
  private holds: Hold[] = [];
  private readonly stopErrors: () => void;
  private readonly ray = new Ray(Vector3.Zero(), Vector3.Forward(), RAY_LENGTH);

  constructor(
    private readonly session: WorldSession,
    private readonly props: XrProps,
  ) {
    this.stopErrors = session.onIntentError((e) => this.onError(e));
  }

  /** The prop held through XR right now, if granted. */
  get holding(): string | null {
    return this.holds.find((h) => h.granted)?.propId ?? null;
  }

  /** A squeeze or select began: true when its ray was on a prop (first, before any document) and a hold was asked for. */
  start(source: WebXRInputSource, trigger: 'squeeze' | 'select'): boolean {
    const role = this.session.state.participants.get(this.session.sessionId)?.role as WorldRole | undefined;
    if (!allowed(role, 'propGrab') || this.holds.some((h) => h.source === source)) return false;
    source.getWorldPointerRayToRef(this.ray);
    const { layer } = this.props;
    const pick = layer.scene.pickWithRay(this.ray, (m) => m.isEnabled() && (layer.isPropMesh(m) || isDocumentMesh(m)));
    const propId = pick?.pickedMesh && layer.isPropMesh(pick.pickedMesh) ? layer.idOf(pick) : null;
    const shown = propId ? layer.shown.get(propId) : undefined;
    if (!propId || !shown || this.holds.some((h) => h.propId === propId)) return false;
    const at = this.floorHit(shown.position.y);
    this.holds.push({
      propId,
      source,
      trigger,
      yawOffset: yawOfQuat([shown.rotation.x, shown.rotation.y, shown.rotation.z, shown.rotation.w]) - this.handYaw(source),
      offset: at ? [shown.position.x - at[0], shown.position.z - at[1]] : [0, 0],
      y: shown.position.y,
      scale: shown.scale,
      granted: false,
      releasePending: false,
      lastSent: 0,
    });
    this.props.intents.grab(propId);
    return true;
  }

  end(source: WebXRInputSource, trigger: 'squeeze' | 'select'): void {
    const hold = this.holds.find((h) => h.source === source && h.trigger === trigger);
    if (!hold) return;
    if (hold.granted) this.finish(hold);
    else hold.releasePending = true;
  }

  lost(source: WebXRInputSource): void {
    for (const hold of this.holds.filter((h) => h.source === source)) {
      if (hold.granted) this.finish(hold);
      else hold.releasePending = true;
    }
  }

  /** Every frame: follow grants, slide held props with their rays. */
  update(now: number): void {
    const me = this.session.sessionId;
    for (const hold of [...this.holds]) {
      const heldBy = this.session.state.props.get(hold.propId)?.heldBy;
      if (heldBy === undefined) {
        this.drop(hold);
        continue;
      }
      if (!hold.granted && heldBy === me) {
        hold.granted = true;
        pulse(hold.source, 'grab');
        if (hold.releasePending) {
          this.finish(hold);
          continue;
        }
      } else if (hold.granted && heldBy !== me) {
        this.drop(hold);
        continue;
      }
      if (hold.granted) this.follow(hold, now);
    }
  }

  private follow(hold: Hold, now: number): void {
    const shown = this.props.layer.shown.get(hold.propId);
    if (!shown) return;
    hold.source.getWorldPointerRayToRef(this.ray);
    const at = this.floorHit(hold.y);
    const x = at ? at[0] + hold.offset[0] : shown.position.x;
    const z = at ? at[1] + hold.offset[1] : shown.position.z;
    const rotation = yawQuat(this.handYaw(hold.source) + hold.yawOffset);
    const moved = Math.hypot(x - shown.position.x, z - shown.position.z) > 1e-3 || Math.abs(Quaternion.Dot(shown.rotation, Quaternion.FromArray(rotation))) < 1 - 1e-6;
    if (!moved && now - hold.lastSent < HOLD_KEEPALIVE_MS) return;
    hold.lastSent = now;
    this.props.layer.moveLocally(hold.propId, [x, hold.y, z], rotation, hold.scale);
    this.props.intents.move(hold.propId, [x, hold.y, z], rotation, hold.scale);
  }

  /** Where the last computed ray meets the floor plane at height `y`. */
  private floorHit(y: number): [number, number] | null {
    const { origin: o, direction: d } = this.ray;
    return floorPoint([o.x, o.y, o.z], [d.x, d.y, d.z], y, ROOM_HALF_SIZE);
  }

  private handYaw(source: WebXRInputSource): number {
    const node = source.grip ?? source.pointer;
    node.computeWorldMatrix(true);
    const q = node.absoluteRotationQuaternion ?? Quaternion.Identity();
    return yawOfQuat([q.x, q.y, q.z, q.w]);
  }

  private finish(hold: Hold): void {
    this.props.intents.release(hold.propId);
    this.drop(hold);
  }

  private drop(hold: Hold): void {
    this.props.layer.setLocal(hold.propId, false);
    this.holds = this.holds.filter((h) => h !== hold);
  }

  private onError(e: IntentError): void {
    if (e.intent !== 'propGrab' && e.code !== ErrorCode.NOT_HOLDER) return;
    const hold = this.holds.find((h) => !h.granted);
    if (hold) this.drop(hold);
    // the page's toast (PropEditor) already says why; the hand feels it too
    if (hold) pulse(hold.source, 'refusal');
  }

  /** Lets go of everything (the session ended). */
  releaseAll(): void {
    for (const hold of [...this.holds]) {
      if (hold.granted) this.finish(hold);
      else this.drop(hold);
    }
  }

  dispose(): void {
    this.releaseAll();
    this.stopErrors();
  }
}
