/**
 * Who talks to whom by voice: a proximity mesh. Each person connects only to the nearest people
 * within earshot, at most a handful, so a client's cost stays bounded however crowded the world;
 * the connections are re-formed as people move, with some slack so two people standing at the
 * edge of earshot do not connect and hang up over and over. The server applies the same radius
 * when it relays the first offer between two people, so no client can open a voice connection to
 * someone across the world.
 */

/** Beyond this distance (metres) a voice is not heard and no connection is made. */
export const VOICE_RADIUS_M = 10;
/** An existing connection is kept until the other person is this much further than the radius. */
export const VOICE_KEEP_FACTOR = 1.25;
/** The most voice connections one client keeps at once. */
export const VOICE_MAX_PEERS = 8;

export interface VoiceCandidate {
  id: string;
  /** Where their head is, in metres. */
  position: readonly [number, number, number];
}

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/**
 * The people to be connected with: within the radius, nearest first, at most `max`. Those already
 * connected stay while within the keeping distance, unless the places are needed for nearer people.
 */
export function chooseVoicePeers(
  me: readonly [number, number, number],
  others: readonly VoiceCandidate[],
  connected: ReadonlySet<string>,
  opts: { radius?: number; max?: number } = {},
): string[] {
  const radius = opts.radius ?? VOICE_RADIUS_M;
  const max = Math.max(0, Math.floor(opts.max ?? VOICE_MAX_PEERS));
  const reach = (id: string) => (connected.has(id) ? radius * VOICE_KEEP_FACTOR : radius);
  return others
    .map((o) => ({ id: o.id, d: distance(me, o.position) }))
    .filter((o) => Number.isFinite(o.d) && o.d <= reach(o.id))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((o) => o.id);
}

/** Whether the server relays signalling between two people this far apart (the keeping distance, as either side may be keeping it). */
export function withinEarshot(a: readonly number[], b: readonly number[], radius = VOICE_RADIUS_M): boolean {
  return distance(a, b) <= radius * VOICE_KEEP_FACTOR;
}
