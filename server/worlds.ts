/** Creating and describing worlds: the part of the world lifecycle that is not realtime. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DisplayName, ErrorCode, describeIssues } from '../shared/protocol';
import {
  DEFAULT_CAPACITY,
  MAX_CAPACITY,
  WORLD_TEMPLATES,
  WORLD_TEMPLATE_IDS,
  type PlacedDocument,
  type WorldRecord,
  type WorldTemplateId,
} from '../shared/model/worlds';
import type { Store } from './adapters/storage/Store';
import { AppError } from './errors';

export const CreateWorldInput = z.strictObject({
  name: DisplayName.pipe(z.string().max(64)),
  template: z.enum(WORLD_TEMPLATE_IDS as [WorldTemplateId, ...WorldTemplateId[]]).default('office'),
  capacity: z.number().int().min(1).max(MAX_CAPACITY).default(DEFAULT_CAPACITY),
});

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random id that reads well in a link. */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/** Validates the request, then stores a new world with its template's sample documents. */
export async function createWorld(store: Store, input: unknown, now = new Date()): Promise<WorldRecord> {
  const parsed = CreateWorldInput.safeParse(input);
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Cannot create the world: ${describeIssues(parsed.error)}`);
  const { name, template, capacity } = parsed.data;
  const world: WorldRecord = { id: newId(), name, template, capacity, createdAt: now.toISOString() };
  const documents: PlacedDocument[] = WORLD_TEMPLATES[template].samples.map((s, i) => ({
    ...s,
    position: [...s.position],
    rotation: [...s.rotation],
    id: `d${i + 1}`,
    worldId: world.id,
  }));
  await store.createWorld(world, documents);
  return world;
}
