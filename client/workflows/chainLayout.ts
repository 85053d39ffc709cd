/**
 * Where chains stand in the room. Workflows carry no position, so every client lays them out the
 * same way from the same state: chains ordered by id, each a row of nodes across the room at
 * waist height, the first a couple of metres ahead of the entrance view and the rest behind it.
 */
export type Vec3 = [number, number, number];

export const NODE = {
  /** Node face size in metres. */
  width: 0.62,
  height: 0.4,
  /** Space between neighbouring nodes, where the link runs. */
  gap: 0.34,
} as const;

/** Height of a chain's node centres, below the panels that hang at eye height. */
export const CHAIN_HEIGHT = 0.95;
/** The first chain's depth, and how far each further chain stands behind the one before. */
export const FIRST_CHAIN_Z = -1.8;
export const CHAIN_SPACING = 1.3;
/** Chains never reach past this depth; further ones wrap to the side rows. */
const ROWS = 3;

/** The order of chains: by id, so every client agrees. */
export function chainOrder(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

/** Centre of a chain's row of nodes. */
export function chainCentre(index: number): Vec3 {
  const row = index % ROWS;
  const column = Math.floor(index / ROWS);
  // columns alternate left and right of the middle once the middle rows are taken
  const x = column === 0 ? 0 : (column % 2 === 1 ? -1 : 1) * Math.ceil(column / 2) * 4;
  return [x, CHAIN_HEIGHT, FIRST_CHAIN_Z - row * CHAIN_SPACING];
}

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
