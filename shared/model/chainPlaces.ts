/**
 * Where chains stand in the room. Workflows carry no position, so every client and the server
 * lay them out the same way from the same state: chains ordered by id, each a row of nodes at
 * waist height facing the entrance, side by side across the room in front of the panels that hang
 * at the front, and further rows towards the entrance once a row is full, so no chain stands
 * behind another or behind the documents.
 */
import type { Vec3 } from '../protocol';
import { findFreeSpot, type Footprint } from './placement';

export const NODE = {
  /** Node face size in metres. */
  width: 0.62,
  height: 0.4,
  /** Space between neighbouring nodes, where the link runs. */
  gap: 0.34,
} as const;

/** Height of a chain's node centres, below the panels that hang at eye height. */
export const CHAIN_HEIGHT = 0.95;
/** Where the first chain stands: a couple of metres ahead of the entrance view. */
export const FIRST_CHAIN: Vec3 = [0, CHAIN_HEIGHT, -1.8];
/** Clear space between neighbouring chains, and between rows of them. */
const CHAIN_GAP = 0.8;
const ROW_STEP = 1.4;

export interface ChainInfo {
  id: string;
  /** How many steps the chain shows (its saved version's). */
  steps: number;
}

/** The order of chains: by id, so every client agrees. */
export function chainOrder(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

/** Half the width of a chain of `steps` nodes. */
export function chainHalfWidth(steps: number): number {
  return (Math.max(1, steps) * (NODE.width + NODE.gap) - NODE.gap) / 2;
}

/** Centre of each chain's row of nodes, by workflow id. */
export function chainPlaces(chains: readonly ChainInfo[]): Map<string, Vec3> {
  const byId = new Map(chains.map((c) => [c.id, c]));
  const placed: Footprint[] = [];
  const out = new Map<string, Vec3>();
  chainOrder(byId.keys()).forEach((id, index) => {
    const halfWidth = chainHalfWidth(byId.get(id)!.steps);
    const spot =
      findFreeSpot(placed, { position: FIRST_CHAIN, yaw: 0, halfWidth, gap: CHAIN_GAP, rowStep: ROW_STEP, depthCost: 8 }) ??
      // a room too full of chains stacks the rest at the back; still each in a place of its own
      ([0, CHAIN_HEIGHT, FIRST_CHAIN[2] - 0.5 * (index + 1)] as Vec3);
    placed.push({ position: spot, yaw: 0, halfWidth });
    out.set(id, spot);
  });
  return out;
}

/** Where a chain's footprint lies, for placing other things around it. */
export function chainFootprints(chains: readonly ChainInfo[]): Footprint[] {
  const steps = new Map(chains.map((c) => [c.id, c.steps]));
  return [...chainPlaces(chains)].map(([id, position]) => ({ position, yaw: 0, halfWidth: chainHalfWidth(steps.get(id)!) }));
}
