/**
 * Models people upload to use as props in a world: checked (server/props/checkModel.ts), stored by
 * hash beside document content, recorded with the world and announced to its open room, so the
 * editor offers the new kind at once. The same model uploaded again to a world is the same kind.
 */
import { z } from 'zod';
import { MAX_UPLOADED_KINDS, templateLayout, type PropRecord, type UploadedPropKind } from '../../shared/model/props';
import { DisplayName, ErrorCode, describeIssues } from '../../shared/protocol';
import type { Storage } from '../adapters/storage';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { WorldEventBus } from '../rooms/worldEvents';
import { keyedSerial } from '../serial';
import { sha256 } from '../worlds';
import { checkModel } from './checkModel';

const ModelName = DisplayName.pipe(z.string().max(64));

/** A file name without its extension, as a model's name when none is given. */
const nameFromFile = (fileName: string) => fileName.replace(/\.(glb|gltf)$/i, '').slice(0, 64);

export class PropModels {
  /** Uploads to one world are recorded one at a time, so two cannot both take its last place. */
  private readonly perWorld = keyedSerial();

  constructor(
    private readonly storage: Pick<Storage, 'store' | 'blobs'>,
    private readonly events: WorldEventBus,
    private readonly log: Logger,
  ) {}

  /** The world's props as last written (its template's when never written) and its uploaded models. */
  async list(worldId: string): Promise<{ props: PropRecord[]; models: UploadedPropKind[] }> {
    const world = await this.world(worldId);
    const [layout, models] = await Promise.all([this.storage.store.getLayout(worldId), this.storage.store.listPropModels(worldId)]);
    return { props: layout ?? templateLayout(world.template), models };
  }

  /** One of the world's models, or 404. */
  async get(worldId: string, modelId: string): Promise<UploadedPropKind> {
    const model = (await this.storage.store.listPropModels(worldId)).find((m) => m.id === modelId);
    if (!model) throw new AppError(ErrorCode.NOT_FOUND, `This world has no prop model "${modelId.slice(0, 64)}".`, 404);
    return model;
  }

  /** The stored bytes of one of the world's models. */
  async content(worldId: string, modelId: string) {
    const model = await this.get(worldId, modelId);
    const blob = await this.storage.blobs.read(model.contentHash);
    if (!blob) throw new AppError(ErrorCode.INTERNAL, 'The content of this model is missing from storage.', 500);
    return { model, ...blob };
  }

  /**
   * Checks and records an uploaded model. `created` is false when the world already had this very
   * model: the upload is then the kind it has.
   */
  async upload(worldId: string, bytes: Uint8Array, rawName: string, uploader: string): Promise<{ model: UploadedPropKind; created: boolean }> {
    await this.world(worldId);
    const name = ModelName.safeParse(rawName);
    if (!name.success) throw new AppError(ErrorCode.BAD_REQUEST, `Give the model a name: ${describeIssues(name.error)}`, 400);
    const checked = await checkModel(bytes);
    const contentHash = sha256(checked.glb);
    const id = `u-${contentHash.slice(0, 12)}`;
    return this.perWorld.run(worldId, async () => {
      const models = await this.storage.store.listPropModels(worldId);
      const existing = models.find((m) => m.id === id);
      if (existing) return { model: existing, created: false };
      if (models.length >= MAX_UPLOADED_KINDS) {
        throw new AppError(ErrorCode.LAYOUT_FULL, `This world already has ${MAX_UPLOADED_KINDS} uploaded models, as many as it may.`, 409);
      }
      const model: UploadedPropKind = { id, worldId, name: name.data, contentHash, size: checked.glb.byteLength, triangles: checked.triangles, uploadedBy: uploader, createdAt: new Date().toISOString() };
      await this.storage.blobs.putBytes(contentHash, checked.glb);
      await this.storage.store.putPropModel(model);
      this.events.publish(worldId, { type: 'propModelAdded', model });
      this.log.info({ worldId, model: id, triangles: checked.triangles, bytes: model.size }, 'prop model uploaded');
      return { model, created: true };
    });
  }

  /** The name to use when the upload gives none. */
  static nameFor(given: string | undefined, fileName: string | undefined): string {
    return given?.trim() || nameFromFile(fileName ?? '') || 'Model';
  }

  private async world(worldId: string) {
    const world = await this.storage.store.getWorld(worldId);
    if (!world) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${worldId.slice(0, 64)}".`, 404);
    return world;
  }
}
