import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileBlobStore } from './FileBlobStore';
import { LevelStore } from './LevelStore';
import { storeContract, type Backend } from './storeContract';

const dirs = new WeakMap<Backend, string>();

async function openAt(dir: string): Promise<Backend> {
  const store = new LevelStore(path.join(dir, 'store'));
  const backend = { store, workflows: store.workflowStore(), blobs: new FileBlobStore(path.join(dir, 'blobs')), cache: store.cacheStore(), audit: store.auditStore(), auth: store.authStore(), members: store.memberStore(), events: store.eventStore(), chat: store.chatStore(), alerts: store.alertStore(), iot: store.iotStore() };
  await backend.store.open();
  await backend.blobs.open();
  dirs.set(backend, dir);
  return backend;
}

storeContract('embedded (LevelDB + files)', {
  create: () => openAt(mkdtempSync(path.join(tmpdir(), 'dwc-store-'))),
  async reopen(previous) {
    await previous.store.close();
    return openAt(dirs.get(previous)!);
  },
  async destroy(backend) {
    await backend.store.close().catch(() => undefined);
    rmSync(dirs.get(backend)!, { recursive: true, force: true });
  },
});
