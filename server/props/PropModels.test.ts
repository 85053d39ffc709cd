import { describe, expect, it } from 'vitest';
import { MAX_UPLOADED_KINDS, type UploadedPropKind } from '../../shared/model/props';
import { ErrorCode } from '../../shared/protocol';
import type { Storage } from '../adapters/storage';
import { createLogger } from '../log';
import type { WorldEvent } from '../rooms/worldEvents';
import { glbModel } from '../testing/models';
import { PropModels } from './PropModels';

/** A world's models in memory, and what was stored and announced. */
function service(existing: number) {
  const models: UploadedPropKind[] = Array.from({ length: existing }, (_, i) => ({ id: `u-${String(i).padStart(12, '0')}`, worldId: 'w1', name: `M${i}`, contentHash: String(i).padStart(64, '0'), size: 1, triangles: 1, uploadedBy: 'ann', createdAt: '' }));
  const blobs: string[] = [];
  const events: WorldEvent[] = [];
  const storage = {
    store: {
      getWorld: (id: string) => Promise.resolve(id === 'w1' ? { id, name: 'W', template: 'studio', capacity: 8, createdAt: '' } : undefined),
      listPropModels: () => Promise.resolve([...models]),
      putPropModel: (m: UploadedPropKind) => Promise.resolve(void models.push(m)),
    },
    blobs: { putBytes: (hash: string) => Promise.resolve(void blobs.push(hash)) },
  } as unknown as Pick<Storage, 'store' | 'blobs'>;
  const props = new PropModels(storage, { publish: (_w, e) => void events.push(e) }, createLogger('silent'));
  return { props, models, blobs, events };
}

describe('uploaded prop models', () => {
  it('PROPUP-1: records a model once per world, stores it by hash and tells the open room', async () => {
    const s = service(0);
    const glb = await glbModel({ triangles: 4 });
    const first = await s.props.upload('w1', glb, 'Crate', 'ann');
    expect(first.created).toBe(true);
    expect(first.model).toMatchObject({ id: `u-${first.model.contentHash.slice(0, 12)}`, name: 'Crate', triangles: 4, uploadedBy: 'ann' });
    expect(s.blobs).toEqual([first.model.contentHash]);
    expect(s.events).toEqual([{ type: 'propModelAdded', model: first.model }]);
    const again = await s.props.upload('w1', glb, 'Other name', 'bob');
    expect(again).toEqual({ model: first.model, created: false });
    expect(s.models).toHaveLength(1);
  });

  it('PROPUP-2: refuses a model past the most a world may hold, even when several race for the last place', async () => {
    const s = service(MAX_UPLOADED_KINDS - 1);
    const results = await Promise.allSettled([glbModel({ triangles: 1 }), glbModel({ triangles: 2 })].map(async (g) => s.props.upload('w1', await g, 'Late', 'ann')));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as { code: string; status: number };
    expect(refused).toMatchObject({ code: ErrorCode.LAYOUT_FULL, status: 409 });
    expect(s.models).toHaveLength(MAX_UPLOADED_KINDS);
  });

  it('refuses a nameless model and a world that does not exist', async () => {
    const s = service(0);
    await expect(s.props.upload('w1', await glbModel(), '   ', 'ann')).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(s.props.upload('nope', await glbModel(), 'Crate', 'ann')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, status: 404 });
    expect(s.models).toEqual([]);
  });
});
