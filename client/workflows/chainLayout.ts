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
