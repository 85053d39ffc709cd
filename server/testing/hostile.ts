/**
 * A seeded generator of hostile sequences against one server: joins the room refuses (each kind),
 * joins that stay, dropped connections with and without a reconnection, made-up reconnection
 * tokens, frames that do not decode, malformed messages, and use of the chain, in a random order.
 * Same seed, same sequence, so a failing one can be replayed.
 */
import { seededRandom } from '../../shared/random';

export const REFUSALS = ['emptyName', 'controlName', 'oldProtocol', 'full', 'noWorld', 'badWorldId', 'badToken', 'notObject'] as const;
export const BAD_FRAMES = ['truncatedData', 'truncatedRequest', 'randomBytes'] as const;

export type HostileStep =
  | { kind: 'refusedJoin'; how: (typeof REFUSALS)[number] }
  | { kind: 'join' }
  | { kind: 'leave'; pick: number }
  | { kind: 'drop'; pick: number; reconnect: boolean }
  | { kind: 'staleReconnect' }
  | { kind: 'badFrame'; frame: (typeof BAD_FRAMES)[number]; bytes: number[] }
  | { kind: 'badMessages'; seed: number }
  | { kind: 'chain' };

const WEIGHTS: Array<[HostileStep['kind'], number]> = [
  ['refusedJoin', 30],
  ['join', 14],
  ['leave', 6],
  ['drop', 12],
  ['staleReconnect', 6],
  ['badFrame', 14],
  ['badMessages', 10],
  ['chain', 8],
];
const TOTAL = WEIGHTS.reduce((n, [, w]) => n + w, 0);

export function* hostileSteps(seed: number, count: number): Generator<HostileStep> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < count; i++) {
    let roll = random() * TOTAL;
    const kind = WEIGHTS.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'join';
    switch (kind) {
      case 'refusedJoin':
        yield { kind, how: pick(REFUSALS) };
        break;
      case 'leave':
        yield { kind, pick: random() };
        break;
      case 'drop':
        yield { kind, pick: random(), reconnect: random() < 0.6 };
        break;
      case 'badFrame': {
        const frame = pick(BAD_FRAMES);
        yield { kind, frame, bytes: badFrame(frame, random) };
        break;
      }
      case 'badMessages':
        yield { kind, seed: Math.floor(random() * 2 ** 31) };
        break;
      default:
        yield { kind } as HostileStep;
    }
  }
}

/** Bytes a client may put in a WebSocket frame that are not a message the room can decode. */
function badFrame(frame: (typeof BAD_FRAMES)[number], random: () => number): number[] {
  const noise = Array.from({ length: 1 + Math.floor(random() * 24) }, () => Math.floor(random() * 256));
  switch (frame) {
    // room data (13) "pose" with a msgpack map that promises more than it has
    case 'truncatedData':
      return [13, 0xa4, 0x70, 0x6f, 0x73, 0x65, 0xdf, 0xff, 0xff, 0xff, 0xff, ...noise];
    // a room request (21) whose body is cut short: Colyseus keeps the client and answers an error
    case 'truncatedRequest':
      return [21, 1, 0xa1, 0x70, 0xdf, 0xff, ...noise.slice(0, 2)];
    case 'randomBytes':
      return noise;
  }
}
