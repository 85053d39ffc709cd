/**
 * The nodes of one chain: where each stands and where the links between them run. Where the
 * chains themselves stand is shared with the server (shared/model/chainPlaces).
 */
import { NODE } from '../../shared/model/chainPlaces';

export { NODE };
export type Vec3 = [number, number, number];

/** Centres of a chain's nodes, left to right, in the order the steps run. */
export function nodePositions(count: number, centre: Vec3): Vec3[] {
  const pitch = NODE.width + NODE.gap;
  const start = centre[0] - ((count - 1) * pitch) / 2;
  return Array.from({ length: count }, (_, i) => [start + i * pitch, centre[1], centre[2]] as Vec3);
}

/** Where the link between node i and node i+1 starts and ends (the facing edges). */
export function linkEnds(positions: readonly Vec3[], i: number): [Vec3, Vec3] | null {
  const a = positions[i];
  const b = positions[i + 1];
  if (!a || !b) return null;
  const half = NODE.width / 2;
  return [
    [a[0] + half, a[1], a[2]],
    [b[0] - half, b[1], b[2]],
  ];
}

/**
 * The title strip over a chain: as wide as the chain, and as many pixels wide as that needs for
 * its text to stand the same size above every chain. A long chain's title has room to show whole
 * rather than being squeezed into a fixed texture and cut.
 */
export const TITLE_STRIP = { heightPx: 88, pxPerMetre: 850, minWidth: 1.2, maxPx: 4096 } as const;

export interface TitleStrip {
  /** Size of the strip in the room (metres). */
  width: number;
  height: number;
  /** Pixels across its texture. */
  widthPx: number;
}

export function titleStrip(steps: number): TitleStrip {
  const width = Math.max(TITLE_STRIP.minWidth, steps * (NODE.width + NODE.gap) - NODE.gap);
  const widthPx = Math.min(TITLE_STRIP.maxPx, Math.round(width * TITLE_STRIP.pxPerMetre));
  // the texture's aspect is the strip's, so text is never stretched
  return { width, height: (width * TITLE_STRIP.heightPx) / widthPx, widthPx };
}

/**
 * Whether a document set down with its centre at `point` (in the node's own frame: the node's
 * centre at the origin, its face in the XY plane) lands on the node. A held panel is larger than
 * a node and hard to place to the centimetre in a headset, so the node reaches a little past its
 * edges and some way in front and behind.
 */
export function dropsOnNode(point: Vec3): boolean {
  const [x, y, z] = point;
  return Math.abs(x) <= NODE.width / 2 + DROP_REACH.side && Math.abs(y) <= NODE.height / 2 + DROP_REACH.up && Math.abs(z) <= DROP_REACH.depth;
}

/** How far past a node's edges a dropped document still counts as on it (metres). */
export const DROP_REACH = { side: 0.2, up: 0.35, depth: 0.4 } as const;
