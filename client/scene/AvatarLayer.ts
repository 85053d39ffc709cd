/**
 * Every other participant's avatar. Pose changes are noted with the time they arrived and turned
 * into interpolation samples once per frame, so a patch that moves head and hands makes one sample.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Pose } from '../../shared/protocol';
import type { ParticipantState, PoseState } from '../../shared/schema/WorldState';
import type { StateCallbacks, WorldSession } from '../net/session';
import { RemoteAvatar } from './RemoteAvatar';

function poseOf(p: PoseState): Pose {
  return [p.px, p.py, p.pz, p.qx, p.qy, p.qz, p.qw];
}

export class AvatarLayer {
  readonly avatars = new Map<string, RemoteAvatar>();
  /** Participant id → arrival time of the first change not yet sampled. */
  private readonly changedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

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
        avatar.setConnected(p.connected);
        avatar.setDevice(p.device);
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
            avatar.setConnected(p.connected);
          }),
        );
      }),
      callbacks.onRemove('participants', (_p, id) => {
        this.avatars.get(id)?.dispose();
        this.avatars.delete(id);
        this.changedAt.delete(id);
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
