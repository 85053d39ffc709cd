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
/**
 * In a crowd, a connected person counts as this much nearer when the places are shared out, so
 * a newcomer takes a place only when clearly nearer: without it, people walking about a crowd
 * swap places in each other's nearest few every moment, and every swap is a hang-up and a new call.
 */
export const VOICE_KEEP_RANK = 0.75;
/** The most voice connections one client keeps at once with the people near them. */
export const VOICE_MAX_PEERS = 8;
/**
 * The most people heard everywhere (megaphone or stage) a listener connects to, besides the near
 * ones: a talk has one or two speakers.
 */
export const VOICE_MAX_LOUD = 3;
/**
 * The most listeners a person heard everywhere reaches: every listener is one more upload of their
 * voice from their browser, so beyond this the nearest hear them and the rest do not (a larger
 * audience needs a media server, which this mesh does not have).
 */
export const VOICE_MAX_LISTENERS = 40;

export interface VoiceCandidate {
  id: string;
  /** Where their head is, in metres. */
  position: readonly [number, number, number];
  /** Heard by everyone in the world (megaphone or stage), whatever the distance. */
  everywhere?: boolean;
}

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/**
 * The people to be connected with: within the radius, nearest first, at most `max`. Those already
 * connected stay while within the keeping distance, unless the places are needed for people
 * clearly nearer ({@link VOICE_KEEP_RANK}).
 * Besides these, the nearest few people heard everywhere (at most {@link VOICE_MAX_LOUD}), however
 * far; and a person who is heard everywhere (`loud`) connects to as many listeners as
 * {@link VOICE_MAX_LISTENERS}, nearest first, however far.
 */
export function chooseVoicePeers(
  me: readonly [number, number, number],
  others: readonly VoiceCandidate[],
  connected: ReadonlySet<string>,
  opts: { radius?: number; max?: number; loud?: boolean } = {},
): string[] {
  const radius = opts.radius ?? VOICE_RADIUS_M;
  const max = Math.max(0, Math.floor(opts.max ?? VOICE_MAX_PEERS));
  const reach = (id: string) => (connected.has(id) ? radius * VOICE_KEEP_FACTOR : radius);
  const byDistance = others
    .map((o) => ({ id: o.id, d: distance(me, o.position), everywhere: o.everywhere === true }))
    .filter((o) => Number.isFinite(o.d))
    .map((o) => ({ ...o, rank: connected.has(o.id) ? o.d * VOICE_KEEP_RANK : o.d }))
    .sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id));
  if (opts.loud) return byDistance.slice(0, VOICE_MAX_LISTENERS).map((o) => o.id);
  const loud = byDistance.filter((o) => o.everywhere).slice(0, VOICE_MAX_LOUD);
  const near = byDistance.filter((o) => !o.everywhere && o.d <= reach(o.id)).slice(0, max);
  return [...loud, ...near].map((o) => o.id);
}

/** Whether the server relays signalling between two people this far apart (the keeping distance, as either side may be keeping it). */
export function withinEarshot(a: readonly number[], b: readonly number[], radius = VOICE_RADIUS_M): boolean {
  return distance(a, b) <= radius * VOICE_KEEP_FACTOR;
}
