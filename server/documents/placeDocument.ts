/**
 * Where new documents stand in a world: where they were wanted when that is free, else the free
 * spot nearest to it, beside rather than in front or behind, so no document hides another or a
 * chain. Results of a run stand beside the run's chain, at reading height, facing the entrance.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { chainFootprints, chainHalfWidth, chainPlaces, type ChainInfo } from '../../shared/model/chainPlaces';
import type { DocumentRecord } from '../../shared/model/documents';
import { PANEL_GAP, PANEL_SHADOW, findFreeSpot, yawOf, type Footprint } from '../../shared/model/placement';
import type { Storage } from '../adapters/storage';

/** Half a panel's width: pages are at most this wide (the client's page box is 1.2 m). */
const PANEL_HALF_WIDTH = 0.6;
/** Where a document goes when nobody said where: the front of the room, at reading height. */
const FRONT: Vec3 = [0, 1.6, -4];
/** Height results are read at, beside a chain. */
const READING_HEIGHT = 1.5;

const panelOf = (d: Pick<DocumentRecord, 'position' | 'rotation' | 'scale' | 'spread'>): Footprint => ({
  position: d.position,
  yaw: yawOf(d.rotation),
  halfWidth: PANEL_HALF_WIDTH * d.scale * Math.max(1, d.spread),
});

/** The chains standing in a world, as their saved versions show them. */
async function chainsOf(storage: Storage, worldId: string): Promise<ChainInfo[]> {
  const workflows = await storage.workflows.listWorkflows(worldId);
  const versions = await Promise.all(workflows.map((w) => storage.workflows.getVersion(w.id, w.currentVersion)));
  return workflows.map((w, i) => ({ id: w.id, steps: versions[i]?.definition.steps.length ?? 0 }));
}

/** The free spot for a new panel nearest to `want`, turned by `rotation`. */
export async function placeDocument(storage: Storage, worldId: string, want: Vec3 = FRONT, rotation: Quat = [0, 0, 0, 1], skipId?: string): Promise<Vec3> {
  const docs = (await storage.store.listDocuments(worldId)).filter((d) => d.id !== skipId);
  const occupied = [...docs.map(panelOf), ...chainFootprints(await chainsOf(storage, worldId))];
  return findFreeSpot(occupied, { position: want, yaw: yawOf(rotation), halfWidth: PANEL_HALF_WIDTH, gap: PANEL_GAP, shadow: PANEL_SHADOW }) ?? want;
}

/** Where a run's results go: beside its chain's last node when the chain stands in the world. */
export async function placeResults(storage: Storage, worldId: string, workflowId: string | undefined, id: string): Promise<Vec3> {
  const chains = await chainsOf(storage, worldId);
  const centre = workflowId ? chainPlaces(chains).get(workflowId) : undefined;
  const steps = chains.find((c) => c.id === workflowId)?.steps ?? 0;
  const want: Vec3 = centre ? [centre[0] + chainHalfWidth(steps) + PANEL_HALF_WIDTH + 0.3, READING_HEIGHT, centre[2]] : FRONT;
  return placeDocument(storage, worldId, want, [0, 0, 0, 1], id);
}
