/**
 * MongoDB backend on the official driver, used when MONGODB_URI is set. Records keep their own id
 * as `_id`; the indexes the queries need are created at open.
 */
import { MongoClient, type Collection, type Db } from 'mongodb';
import type { AnnotationRecord, DocumentRecord, DocumentView, Placement } from '../../../shared/model/documents';
import type { PropRecord, UploadedPropKind } from '../../../shared/model/props';
import type { WorldRecord } from '../../../shared/model/worlds';
import type { Store } from './Store';

type Stored<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

function toStored<T extends { id: string }>(record: T): Stored<T> {
  const { id, ...rest } = record;
  return { _id: id, ...rest } as Stored<T>;
}
function fromStored<T extends { id: string }>(doc: Stored<T> | null): T | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest } as unknown as T;
}

export class MongoStore implements Store {
  private readonly client: MongoClient;
  private db!: Db;
  private worlds!: Collection<Stored<WorldRecord>>;
  private documents!: Collection<Stored<DocumentRecord>>;
  private annotations!: Collection<Stored<AnnotationRecord>>;
  private layouts!: Collection<{ _id: string; props: PropRecord[] }>;
  private propModels!: Collection<{ _id: string; worldId: string } & Omit<UploadedPropKind, 'id' | 'worldId'> & { modelId: string }>;

  constructor(uri: string, private readonly dbName?: string) {
    this.client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  }

  /** The connected database, for adapters that share the connection (GridFS content). */
  database(): Db {
    return this.db;
  }

  async open(): Promise<void> {
    await this.client.connect();
    this.db = this.client.db(this.dbName);
    this.worlds = this.db.collection('worlds');
    this.documents = this.db.collection('documents');
    this.annotations = this.db.collection('annotations');
    this.layouts = this.db.collection('layouts');
    this.propModels = this.db.collection('propModels');
    await Promise.all([
      this.worlds.createIndex({ createdAt: -1 }),
      this.documents.createIndex({ worldId: 1 }),
      this.documents.createIndex({ contentHash: 1 }),
      this.annotations.createIndex({ worldId: 1 }),
      this.annotations.createIndex({ documentId: 1 }),
      this.propModels.createIndex({ worldId: 1, createdAt: 1 }),
    ]);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async listWorlds(): Promise<WorldRecord[]> {
    return (await this.worlds.find().toArray()).map((w) => fromStored<WorldRecord>(w)!);
  }

  async getWorld(id: string): Promise<WorldRecord | undefined> {
    return fromStored<WorldRecord>(await this.worlds.findOne({ _id: id }));
  }

  async createWorld(world: WorldRecord, documents: DocumentRecord[]): Promise<void> {
    // The world record goes in last: until it exists, its documents are unreachable, so a failure
    // part-way leaves nothing visible. Transactions would need a replica set.
    if (documents.length) await this.documents.insertMany(documents.map(toStored));
    try {
      await this.worlds.insertOne(toStored(world));
    } catch (err) {
      await this.documents.deleteMany({ worldId: world.id });
      throw err;
    }
  }

  async listDocuments(worldId: string): Promise<DocumentRecord[]> {
    return (await this.documents.find({ worldId }).toArray()).map((d) => fromStored<DocumentRecord>(d)!);
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return fromStored<DocumentRecord>(await this.documents.findOne({ _id: id }));
  }

  async addDocument(doc: DocumentRecord): Promise<void> {
    await this.documents.insertOne(toStored(doc));
  }

  async deleteDocument(id: string): Promise<boolean> {
    const res = await this.documents.deleteOne({ _id: id });
    await this.annotations.deleteMany({ documentId: id });
    return res.deletedCount === 1;
  }

  async savePlacements(worldId: string, placements: Placement[]): Promise<void> {
    if (placements.length === 0) return;
    await this.documents.bulkWrite(
      placements.map((p) => ({
        updateOne: { filter: { _id: p.id, worldId }, update: { $set: { position: p.position, rotation: p.rotation, scale: p.scale } } },
      })),
      { ordered: false },
    );
  }

  async saveDocumentView(id: string, view: DocumentView): Promise<void> {
    await this.documents.updateOne({ _id: id }, { $set: { page: view.page, spread: view.spread } });
  }

  async referencedHashes(): Promise<Set<string>> {
    const hashes = new Set((await this.documents.distinct('contentHash')) as string[]);
    // uploaded prop models are content too
    for (const hash of (await this.propModels.distinct('contentHash')) as string[]) hashes.add(hash);
    // and firmware images (server/adapters/storage/MongoIotStore.ts)
    for (const hash of (await this.database().collection('iot_firmware').distinct('sha256')) as string[]) hashes.add(hash);
    return hashes;
  }

  async listAnnotations(worldId: string): Promise<AnnotationRecord[]> {
    return (await this.annotations.find({ worldId }).toArray()).map((a) => fromStored<AnnotationRecord>(a)!);
  }

  async putAnnotation(note: AnnotationRecord): Promise<void> {
    await this.annotations.replaceOne({ _id: note.id }, toStored(note), { upsert: true });
  }

  async deleteAnnotation(worldId: string, id: string): Promise<boolean> {
    return (await this.annotations.deleteOne({ _id: id, worldId })).deletedCount === 1;
  }

  async getLayout(worldId: string): Promise<PropRecord[] | undefined> {
    return (await this.layouts.findOne({ _id: worldId }))?.props;
  }

  async saveLayout(worldId: string, props: PropRecord[]): Promise<void> {
    await this.layouts.replaceOne({ _id: worldId }, { props }, { upsert: true });
  }

  async listPropModels(worldId: string): Promise<UploadedPropKind[]> {
    const docs = await this.propModels.find({ worldId }).sort({ createdAt: 1 }).toArray();
    return docs.map(({ _id, modelId, ...rest }) => ({ id: modelId, ...rest }));
  }

  async putPropModel(model: UploadedPropKind): Promise<void> {
    const { id, ...rest } = model;
    // one world's model ids are unique; the same model in two worlds is two records
    await this.propModels.replaceOne({ _id: `${model.worldId}:${id}` }, { modelId: id, ...rest }, { upsert: true });
  }
}
