/**
 * Every other participant's avatar. Pose changes are noted with the time they arrived and turned
 * into interpolation samples once per frame, so a patch that moves head and hands makes one sample.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Pose } from '../../shared/protocol';
import type { ParticipantState, PoseState } from '../../shared/schema/WorldState';
import type { StateCallbacks, WorldSession } from '../net/session';
import { RemoteAvatar } from './RemoteAvatar';
import { parseLook } from '../../shared/model/avatarLook';
import { PoseMessage, crowdPose, decodeCrowd, decodeNear } from '../../shared/protocol/poseWire';

/** A full pose younger than this outranks a crowd summary. */
const NEAR_FRESH_MS = 1500;

function poseOf(p: PoseState): Pose {
  return [p.px, p.py, p.pz, p.qx, p.qy, p.qz, p.qw];
}

export class AvatarLayer {
  readonly avatars = new Map<string, RemoteAvatar>();
  /** Participant id → arrival time of the first change not yet sampled. */
  private readonly changedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  /** Pose-message number → participant id. */
  private readonly numbers = new Map<number, string>();
  /** When each participant's last full pose arrived: a crowd summary must not undo a fresher one. */
  private readonly nearAt = new Map<string, number>();

  constructor(
    private readonly scene: Scene,
    private readonly session: WorldSession,
    private readonly now: () => number,
  ) {}

  attach(callbacks: StateCallbacks): void {
    this.unsubscribe.push(
      callbacks.onAdd('participants', (p, id) => {
        if (id === this.session.sessionId) return;
        const avatar = new RemoteAvatar(this.scene, id, p.name, p.colour);
        this.avatars.set(id, avatar);
        this.numbers.set(p.n, id);
        avatar.setConnected(p.connected);
        avatar.setDevice(p.device);
        avatar.setRole(p.role);
        let look = p.look;
        avatar.setLook(p.look ? parseLook(p.look, p.colour) : null);
        avatar.setBadges(p.hand, p.megaphone);
        this.sample(id, p, this.now());
        const changed = () => {
          if (!this.changedAt.has(id)) this.changedAt.set(id, this.now());
        };
        this.unsubscribe.push(
          callbacks.onChange(p.head, changed),
          callbacks.onChange(p.left, changed),
          callbacks.onChange(p.right, changed),
          callbacks.onChange(p, () => {
            avatar.setIdentity(p.name, p.colour);
            avatar.setDevice(p.device);
            avatar.setRole(p.role);
            if (p.look !== look) {
              look = p.look;
              avatar.setLook(look ? parseLook(look, p.colour) : null);
            }
            avatar.setConnected(p.connected);
            avatar.setBadges(p.hand, p.megaphone);
          }),
        );
      }),
      callbacks.onRemove('participants', (p, id) => {
        if (this.numbers.get(p.n) === id) this.numbers.delete(p.n);
        this.nearAt.delete(id);
        this.avatars.get(id)?.dispose();
        this.avatars.delete(id);
        this.changedAt.delete(id);
      }),
      this.session.social.onReaction((r) => this.avatars.get(r.from)?.react(r.reaction, this.now())),
      // in a crowded world poses come as binary messages instead of in the state
      this.session.room.onMessage(PoseMessage.NEAR, (bytes: Uint8Array) => {
        const t = this.now();
        for (const r of decodeNear(bytes)) {
          const id = this.numbers.get(r.n);
          if (id === undefined) continue;
          this.nearAt.set(id, t);
          this.avatars.get(id)?.addSample(t, r.head, r.left, r.right);
        }
      }),
      this.session.room.onMessage(PoseMessage.CROWD, (bytes: Uint8Array) => {
        const t = this.now();
        // people far away show as a head where they stand; those near get full poses above
        for (const r of decodeCrowd(bytes)) {
          const id = this.numbers.get(r.n);
          if (id !== undefined && t - (this.nearAt.get(id) ?? -Infinity) > NEAR_FRESH_MS) this.avatars.get(id)?.addSample(t, crowdPose(r), null, null);
        }
      }),
    );
  }

  private sample(id: string, p: ParticipantState, t: number): void {
    this.avatars.get(id)?.addSample(t, poseOf(p.head), p.left.tracked ? poseOf(p.left) : null, p.right.tracked ? poseOf(p.right) : null);
  }

  update(): void {
    const participants = this.session.state.participants;
    for (const [id, t] of this.changedAt) {
      const p = participants.get(id);
      if (p) this.sample(id, p, t);
    }
    this.changedAt.clear();
    const now = this.now();
    for (const avatar of this.avatars.values()) avatar.update(now);
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    for (const avatar of this.avatars.values()) avatar.dispose();
    this.avatars.clear();
  }
}
