/**
 * Test helper process: writes to the embedded store as fast as it can and prints `ack N` after
 * each write has been acknowledged, until it is killed. The durability test kills it with SIGKILL
 * and checks every acknowledged write is still there.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { FileBlobStore } from '../adapters/storage/FileBlobStore';
import { LevelStore } from '../adapters/storage/LevelStore';
import { doc, world } from '../adapters/storage/storeContract';

const dir = process.argv[2]!;
const store = new LevelStore(path.join(dir, 'store'));
const blobs = new FileBlobStore(path.join(dir, 'blobs'));
await store.open();
await blobs.open();
const w = { ...world(), id: 'durable' };
await store.createWorld(w, []);
for (let n = 1; ; n++) {
  const content = Buffer.from(`content ${n} `.repeat(2000));
  const hash = createHash('sha256').update(content).digest('hex');
  await blobs.putBytes(hash, content);
  await store.addDocument({ ...doc(w.id), id: `doc${n}`, contentHash: hash, title: `Document ${n}` });
  await store.savePlacements(w.id, [{ id: `doc${n}`, position: [n % 100, 1, 1], rotation: [0, 0, 0, 1], scale: 1 }]);
  process.stdout.write(`ack ${n}\n`);
}
