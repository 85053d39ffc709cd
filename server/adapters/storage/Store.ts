/**
 * The storage interface every backend implements. The embedded store is the default; other
 * backends plug in behind the same contract (see storeContract.ts).
 */
import type { PlacedDocument, Placement, WorldRecord } from '../../../shared/model/worlds';

export interface Store {
  /** Opens the backend; must be called once before anything else. */
  open(): Promise<void>;
  close(): Promise<void>;

  listWorlds(): Promise<WorldRecord[]>;
  getWorld(id: string): Promise<WorldRecord | undefined>;
  /** Creates a world together with its initial documents, all or nothing. */
  createWorld(world: WorldRecord, documents: PlacedDocument[]): Promise<void>;

  listDocuments(worldId: string): Promise<PlacedDocument[]>;
  /** Saves where documents stand, all or nothing; unknown document ids are ignored. */
  savePlacements(worldId: string, placements: Placement[]): Promise<void>;
}
