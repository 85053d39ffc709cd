/**
 * The embedded store: LevelDB (classic-level) in a folder under the data directory. Every write is
 * synced to disk before it is acknowledged and every multi-key change is one atomic batch, so an
 * acknowledged write survives a crash and a half-applied change never does. Reads are key-range
 * scans, so a large history never has to be loaded into memory at once.
 */
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import type { AnnotationRecord, DocumentRecord, DocumentView, Placement } from '../../../shared/model/documents';
import type { PropRecord, UploadedPropKind } from '../../../shared/model/props';
import type { WorldRecord } from '../../../shared/model/worlds';
import type { Store } from './Store';
import { LevelWorkflowStore } from './LevelWorkflowStore';
import { LevelCacheStore } from './LevelCacheStore';
import { LevelAuditStore } from './LevelAuditStore';
import { LevelAuthStore } from './LevelAuthStore';
import { LevelMemberStore } from './LevelMemberStore';
import { LevelEventStore } from './LevelEventStore';
import { LevelAnalyticsStore } from './LevelAnalyticsStore';
import { LevelChatStore } from './LevelChatStore';
import { LevelAlertStore } from './LevelAlertStore';
import { LevelIotStore } from './LevelIotStore';

// Key layout. '\x00' separates parts so that a prefix scan of one world never reaches another.
const SEP = '\x00';
const worldKey = (id: string) => `world${SEP}${id}`;
const docPrefix = (worldId: string) => `doc${SEP}${worldId}${SEP}`;
const docKey = (worldId: string, id: string) => docPrefix(worldId) + id;
/** document id → world id, so a document can be found by its id alone */
const docWorldKey = (id: string) => `docworld${SEP}${id}`;
const notePrefix = (worldId: string) => `note${SEP}${worldId}${SEP}`;
const noteKey = (worldId: string, id: string) => notePrefix(worldId) + id;
const layoutKey = (worldId: string) => `layout${SEP}${worldId}`;
const propModelPrefix = (worldId: string) => `propmodel${SEP}${worldId}${SEP}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records of several kinds share one database
type Value = any;

export class LevelStore implements Store {
  private readonly db: ClassicLevel<string, Value>;

  constructor(private readonly dir: string) {
    this.db = new ClassicLevel<string, Value>(dir, { valueEncoding: 'json' });
  }

  /** Workflows, versions and runs, kept in the same database. */
  workflowStore(): LevelWorkflowStore {
    return new LevelWorkflowStore(this.db);
  }

  /** Cached results (AI answers), kept in the same database. */
  auditStore(): LevelAuditStore {
    return new LevelAuditStore(this.db);
  }

  cacheStore(): LevelCacheStore {
    return new LevelCacheStore(this.db);
  }

  /** Accounts, sessions and API keys, kept in the same database. */
  authStore(): LevelAuthStore {
    return new LevelAuthStore(this.db);
  }

  /** World members and invites, kept in the same database. */
  memberStore(): LevelMemberStore {
    return new LevelMemberStore(this.db);
  }

  /** Events scheduled in worlds, their RSVPs and attendance, kept in the same database. */
  eventStore(): LevelEventStore {
    return new LevelEventStore(this.db);
  }

  /** Each world's chat, kept in the same database. */
  chatStore(): LevelChatStore {
    return new LevelChatStore(this.db);
  }

  /** Alert rules, their states and history, kept in the same database. */
  alertStore(): LevelAlertStore {
    return new LevelAlertStore(this.db);
  }

  /** Devices, telemetry and commands, kept in the same database. */
  iotStore(): LevelIotStore {
    return new LevelIotStore(this.db);
  }

  analyticsStore(): LevelAnalyticsStore {
    return new LevelAnalyticsStore(this.db);
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async listWorlds(): Promise<WorldRecord[]> {
    return (await this.db.values(range(`world${SEP}`)).all()) as WorldRecord[];
  }

  async getWorld(id: string): Promise<WorldRecord | undefined> {
    return (await this.db.get(worldKey(id))) as WorldRecord | undefined;
  }

  async createWorld(world: WorldRecord, documents: DocumentRecord[]): Promise<void> {
    const batch = this.db.batch();
    batch.put(worldKey(world.id), world);
    for (const doc of documents) {
      batch.put(docKey(world.id, doc.id), doc);
      batch.put(docWorldKey(doc.id), world.id);
    }
    await batch.write(SYNC);
  }

  async listDocuments(worldId: string): Promise<DocumentRecord[]> {
    return (await this.db.values(range(docPrefix(worldId))).all()) as DocumentRecord[];
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const worldId = (await this.db.get(docWorldKey(id))) as string | undefined;
    return worldId === undefined ? undefined : ((await this.db.get(docKey(worldId, id))) as DocumentRecord | undefined);
  }

  async addDocument(doc: DocumentRecord): Promise<void> {
    await this.db.batch().put(docKey(doc.worldId, doc.id), doc).put(docWorldKey(doc.id), doc.worldId).write(SYNC);
  }

  async deleteDocument(id: string): Promise<boolean> {
    const doc = await this.getDocument(id);
    if (!doc) return false;
    const batch = this.db.batch().del(docKey(doc.worldId, id)).del(docWorldKey(id));
    for await (const [key, note] of this.db.iterator(range(notePrefix(doc.worldId)))) {
      if ((note as AnnotationRecord).documentId === id) batch.del(key);
    }
    await batch.write(SYNC);
    return true;
  }

  async savePlacements(worldId: string, placements: Placement[]): Promise<void> {
    if (placements.length === 0) return;
    const keys = placements.map((p) => docKey(worldId, p.id));
    const current = await this.db.getMany(keys);
    const batch = this.db.batch();
    placements.forEach((p, i) => {
      const doc = current[i] as DocumentRecord | undefined;
      if (doc) batch.put(keys[i]!, { ...doc, position: p.position, rotation: p.rotation, scale: p.scale });
    });
    await batch.write(SYNC);
  }

  async saveDocumentView(id: string, view: DocumentView): Promise<void> {
    const doc = await this.getDocument(id);
    if (doc) await this.db.put(docKey(doc.worldId, id), { ...doc, page: view.page, spread: view.spread }, SYNC);
  }

  async referencedHashes(): Promise<Set<string>> {
    const hashes = new Set<string>();
    for await (const value of this.db.values(range(`doc${SEP}`))) hashes.add((value as DocumentRecord).contentHash);
    // uploaded prop models are content too
    for await (const value of this.db.values(range(`propmodel${SEP}`))) hashes.add((value as UploadedPropKind).contentHash);
    // and firmware images
    for await (const value of this.db.values(range(`iotfw${SEP}`))) hashes.add((value as { sha256: string }).sha256);
    return hashes;
  }

  async listAnnotations(worldId: string): Promise<AnnotationRecord[]> {
    return (await this.db.values(range(notePrefix(worldId))).all()) as AnnotationRecord[];
  }

  async putAnnotation(note: AnnotationRecord): Promise<void> {
    await this.db.put(noteKey(note.worldId, note.id), note, SYNC);
  }

  async deleteAnnotation(worldId: string, id: string): Promise<boolean> {
    const key = noteKey(worldId, id);
    if ((await this.db.get(key)) === undefined) return false;
    await this.db.del(key, SYNC);
    return true;
  }

  async getLayout(worldId: string): Promise<PropRecord[] | undefined> {
    return (await this.db.get(layoutKey(worldId))) as PropRecord[] | undefined;
  }

  async saveLayout(worldId: string, props: PropRecord[]): Promise<void> {
    await this.db.put(layoutKey(worldId), props, SYNC);
  }

  async listPropModels(worldId: string): Promise<UploadedPropKind[]> {
    const models = (await this.db.values(range(propModelPrefix(worldId))).all()) as UploadedPropKind[];
    return models.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async putPropModel(model: UploadedPropKind): Promise<void> {
    await this.db.put(propModelPrefix(model.worldId) + model.id, model, SYNC);
  }
}
