/**
 * The embedded store: LevelDB (classic-level) in a folder under the data directory. Writes are
 * synced to disk before they are acknowledged, and batches are atomic, so an acknowledged write
 * survives a crash and a half-applied change never does.
 */
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import type { PlacedDocument, Placement, WorldRecord } from '../../../shared/model/worlds';
import type { Store } from './Store';

// Key layout. '\x00' separates parts so that a prefix scan of one world never reaches another.
const WORLD = 'world\x00';
const DOC = 'doc\x00';
const docPrefix = (worldId: string) => `${DOC}${worldId}\x00`;
const docKey = (worldId: string, docId: string) => `${docPrefix(worldId)}${docId}`;
const SYNC = { sync: true } as const;

type Value = WorldRecord | PlacedDocument;

export class LevelStore implements Store {
  private readonly db: ClassicLevel<string, Value>;

  constructor(private readonly dir: string) {
    this.db = new ClassicLevel<string, Value>(dir, { valueEncoding: 'json' });
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async listWorlds(): Promise<WorldRecord[]> {
    return (await this.db.values({ gt: WORLD, lt: `${WORLD}\xff` }).all()) as WorldRecord[];
  }

  async getWorld(id: string): Promise<WorldRecord | undefined> {
    return (await this.db.get(WORLD + id)) as WorldRecord | undefined;
  }

  async createWorld(world: WorldRecord, documents: PlacedDocument[]): Promise<void> {
    const batch = this.db.batch();
    batch.put(WORLD + world.id, world);
    for (const doc of documents) batch.put(docKey(world.id, doc.id), doc);
    await batch.write(SYNC);
  }

  async listDocuments(worldId: string): Promise<PlacedDocument[]> {
    const prefix = docPrefix(worldId);
    return (await this.db.values({ gt: prefix, lt: `${prefix}\xff` }).all()) as PlacedDocument[];
  }

  async savePlacements(worldId: string, placements: Placement[]): Promise<void> {
    if (placements.length === 0) return;
    const keys = placements.map((p) => docKey(worldId, p.id));
    const current = await this.db.getMany(keys);
    const batch = this.db.batch();
    placements.forEach((p, i) => {
      const doc = current[i] as PlacedDocument | undefined;
      if (!doc) return;
      batch.put(keys[i]!, { ...doc, position: p.position, rotation: p.rotation, scale: p.scale });
    });
    await batch.write(SYNC);
  }
}
