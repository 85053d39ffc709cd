/**
 * The storage contract for the MongoDB adapters (and GridFS content). Where MONGODB_URI points at a
 * MongoDB server, the contract runs against it. Elsewhere (CI has no MongoDB server) it runs against
 * the wire stand-in in server/testing/mongoWire: the same driver and adapters over the real wire
 * protocol on TCP, answered by an in-memory imitation that knows only what these adapters send.
 * It is not MongoDB: no journaling, no persistence beyond the process, no replication and so no
 * transactions, no query planner, no authentication. A pass against it says the adapters and the
 * driver agree with MongoDB's documented replies, not that a real server was tried; the suite's
 * name says which of the two ran.
 */
import { afterAll, beforeAll } from 'vitest';
import { GridFsBlobStore } from './GridFsBlobStore';
import { MongoStore } from './MongoStore';
import { MongoWorkflowStore } from './MongoWorkflowStore';
import { MongoAuditStore } from './MongoAuditStore';
import { MongoCacheStore } from './MongoCacheStore';
import { MongoAuthStore } from './MongoAuthStore';
import { MongoMemberStore } from './MongoMemberStore';
import { MongoEventStore } from './MongoEventStore';
import { MongoChatStore } from './MongoChatStore';
import { MongoAlertStore } from './MongoAlertStore';
import { MongoIotStore } from './MongoIotStore';
import { storeContract, type Backend } from './storeContract';
import { startMongoWire, type MongoWire } from '../../testing/mongoWire/server';

const realUri = process.env.MONGODB_URI;
let standIn: MongoWire | undefined;
let uri = realUri ?? '';

if (!realUri) {
  beforeAll(async () => {
    standIn = await startMongoWire();
    uri = standIn.uri;
  });
  afterAll(async () => {
    await standIn?.close();
  });
}

const dbs = new WeakMap<Backend, string>();
const openDb = async (dbName: string): Promise<Backend> => {
  const store = new MongoStore(uri, dbName);
  await store.open();
  const blobs = new GridFsBlobStore(() => store.database());
  await blobs.open();
  const workflows = new MongoWorkflowStore(() => store.database());
  await workflows.open();
  const cache = new MongoCacheStore(() => store.database());
  await cache.open();
  const audit = new MongoAuditStore(() => store.database());
  await audit.open();
  const auth = new MongoAuthStore(() => store.database());
  await auth.open();
  const members = new MongoMemberStore(() => store.database());
  await members.open();
  const events = new MongoEventStore(() => store.database());
  await events.open();
  const chat = new MongoChatStore(() => store.database());
  await chat.open();
  const alerts = new MongoAlertStore(() => store.database());
  await alerts.open();
  const iot = new MongoIotStore(() => store.database());
  await iot.open();
  const backend = { store, workflows, blobs, cache, audit, auth, members, events, chat, alerts, iot };
  dbs.set(backend, dbName);
  return backend;
};

storeContract(realUri ? 'MongoDB (+ GridFS)' : 'MongoDB wire stand-in (+ GridFS)', {
  create: () => openDb(`dwc_contract_${Date.now()}_${Math.floor(Math.random() * 1e6)}`),
  async reopen(previous) {
    await previous.store.close();
    return openDb(dbs.get(previous)!);
  },
  async destroy(backend) {
    const store = backend.store as MongoStore;
    await store.database().dropDatabase().catch(() => undefined);
    await store.close();
  },
});
