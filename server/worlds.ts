/** Creating and describing worlds: the part of the world lifecycle that is not realtime. */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DisplayName, ErrorCode, describeIssues } from '../shared/protocol';
import {
  DEFAULT_CAPACITY,
  MAX_CAPACITY,
  WORLD_TEMPLATES,
  WORLD_TEMPLATE_IDS,
  type WorldRecord,
  type WorldTemplateId,
} from '../shared/model/worlds';
import type { DocumentRecord } from '../shared/model/documents';
import { templateLayout } from '../shared/model/props';
import { GUEST_ROLES } from '../shared/model/roles';
import type { Storage } from './adapters/storage';
import { AppError } from './errors';

export const CreateWorldInput = z.strictObject({
  name: DisplayName.pipe(z.string().max(64)),
  template: z.enum(WORLD_TEMPLATE_IDS as [WorldTemplateId, ...WorldTemplateId[]]).default('office'),
  capacity: z.number().int().min(1).max(MAX_CAPACITY).default(DEFAULT_CAPACITY),
  /** What people who are not members may do; a signed-in creator's world lets nobody else in by default. */
  guestRole: z.enum(GUEST_ROLES).optional(),
});

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random id that reads well in a link. */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Validates the request, then stores a new world with its template's sample documents. A world
 * with an owner may keep guests out; one made by a guest has nobody to admit anyone, so it stays open.
 */
export async function createWorld({ store, blobs }: Pick<Storage, 'store' | 'blobs'>, input: unknown, now = new Date(), ownerId?: string): Promise<WorldRecord> {
  const parsed = CreateWorldInput.safeParse(input);
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Cannot create the world: ${describeIssues(parsed.error)}`);
  const { name, template, capacity } = parsed.data;
  if (!ownerId && parsed.data.guestRole !== undefined && parsed.data.guestRole !== 'editor') {
    throw new AppError(ErrorCode.BAD_REQUEST, 'Cannot create the world: only a signed-in person can keep guests out of a world (someone has to own it to let people in).');
  }
  const createdAt = now.toISOString();
  const world: WorldRecord = { id: newId(), name, template, capacity, createdAt, ...(ownerId ? { ownerId, guestRole: parsed.data.guestRole ?? 'none' } : {}) };
  const documents: DocumentRecord[] = [];
  for (const sample of WORLD_TEMPLATES[template].samples) {
    const bytes = Buffer.from(sample.body, 'utf8');
    const contentHash = sha256(bytes);
    await blobs.putBytes(contentHash, bytes);
    documents.push({
      id: newId(),
      worldId: world.id,
      title: sample.title,
      kind: sample.kind,
      mime: sample.kind === 'markdown' ? 'text/markdown' : 'text/plain',
      size: bytes.length,
      contentHash,
      position: [...sample.position],
      rotation: [...sample.rotation],
      scale: sample.scale,
      page: 1,
      spread: 1,
      createdAt,
      createdBy: 'template',
    });
  }
  await store.createWorld(world, documents);
  // written now, so the props keep these ids whatever later versions make of the template
  await store.saveLayout(world.id, templateLayout(template));
  return world;
}
