/**
 * The props' intents, sent through a world session: add, take hold, move (throttled like a held
 * document's moves), release after the last move, delete and undo. Requests only; the server decides.
 */
import type { Intent, Quat, Vec3 } from '../../shared/protocol';
import { MAX_SCALE, MIN_SCALE } from '../../shared/protocol';
import type { WorldSession } from './session';
import { throttle, type Throttled } from './throttle';

const MOVE_INTERVAL_MS = 40;
type PropMove = Extract<Intent, { type: 'propMove' }>;

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

export class PropIntents {
  private readonly moves: Throttled<PropMove>;

  constructor(private readonly session: WorldSession) {
    this.moves = throttle(MOVE_INTERVAL_MS, (m) => session.sendIntent(m));
  }

  add(kind: string, position: Vec3, rotation?: Quat, scale?: number): void {
    const intent: Extract<Intent, { type: 'propAdd' }> = { type: 'propAdd', kind, position };
    if (rotation) intent.rotation = rotation;
    if (scale !== undefined) intent.scale = clampScale(scale);
    this.session.sendIntent(intent);
  }

  grab(propId: string): void {
    this.session.sendIntent({ type: 'propGrab', propId });
  }

  move(propId: string, position: Vec3, rotation: Quat, scale: number): void {
    this.moves.push({ type: 'propMove', propId, position, rotation, scale: clampScale(scale) });
  }

  /** Lets go after the last move went out, so the prop stays where it was put down. */
  release(propId: string): void {
    this.moves.flush();
    this.session.sendIntent({ type: 'propRelease', propId });
  }

  remove(propId: string): void {
    this.session.sendIntent({ type: 'propDelete', propId });
  }

  undo(): void {
    this.moves.flush();
    this.session.sendIntent({ type: 'propUndo' });
  }

  dispose(): void {
    this.moves.cancel();
  }
}
