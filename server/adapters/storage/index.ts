/** Chooses the storage backends from configuration: embedded by default, MongoDB when configured. */
import type { AlertStore } from './AlertStore';
import type { AnalyticsStore } from './AnalyticsStore';
import { MongoAlertStore } from './MongoAlertStore';
import type { IotStore } from './IotStore';
import { MongoIotStore } from './MongoIotStore';
import { MongoAnalyticsStore } from './MongoAnalyticsStore';
import path from 'node:path';
import type { Config } from '../../config';
import type { BlobStore } from './BlobStore';
import type { CacheStore } from './CacheStore';
import type { AuditStore } from './AuditStore';
import type { AuthStore } from './AuthStore';
import { MongoAuthStore } from './MongoAuthStore';
import type { MemberStore } from './MemberStore';
import { MongoMemberStore } from './MongoMemberStore';
import type { EventStore } from './EventStore';
import { MongoEventStore } from './MongoEventStore';
import type { ChatStore } from './ChatStore';
import { MongoChatStore } from './MongoChatStore';
import { MongoAuditStore } from './MongoAuditStore';
import { MongoCacheStore } from './MongoCacheStore';
import { FileBlobStore } from './FileBlobStore';
import { GridFsBlobStore } from './GridFsBlobStore';
import { LevelStore } from './LevelStore';
import { MongoStore } from './MongoStore';
import type { Store } from './Store';
import { MongoWorkflowStore } from './MongoWorkflowStore';
import type { WorkflowStore } from './WorkflowStore';

export interface Storage {
  store: Store;
  workflows: WorkflowStore & { open?(): Promise<void> };
  blobs: BlobStore;
  /** Results not worth paying for twice (AI answers). */
  cache: CacheStore & { open?(): Promise<void> };
  /** Every accepted change and security event, appended. */
  audit: AuditStore & { open?(): Promise<void> };
  /** Accounts, sign-in sessions and API keys. */
  auth: AuthStore & { open?(): Promise<void> };
  /** World members with their roles, and invite links. */
  members: MemberStore & { open?(): Promise<void> };
  /** Events scheduled in worlds, their RSVPs and who came. */
  events: EventStore & { open?(): Promise<void> };
  /** Each world's chat, within its retention. */
  chat: ChatStore & { open?(): Promise<void> };
  /** Minute and hour rollups of the key series, for the dashboard. */
  analytics: AnalyticsStore & { open?(): Promise<void> };
  /** Alert rules, their states, and the history of what alerts did. */
  alerts: AlertStore & { open?(): Promise<void> };
  /** Devices, their telemetry series and the commands sent to them. */
  iot: IotStore & { open?(): Promise<void> };
  /** Where uploads are spooled before their type is known; always on local disk. */
  spoolDir: string;
  describe: string;
}

export function createStorage(config: Config): Storage {
  const spoolDir = path.join(config.dataDir, 'uploads');
  if (config.mongodbUri) {
    const store = new MongoStore(config.mongodbUri);
    return {
      store,
      workflows: new MongoWorkflowStore(() => store.database()),
      blobs: new GridFsBlobStore(() => store.database()),
      cache: new MongoCacheStore(() => store.database()),
      audit: new MongoAuditStore(() => store.database()),
      auth: new MongoAuthStore(() => store.database()),
      members: new MongoMemberStore(() => store.database()),
      events: new MongoEventStore(() => store.database()),
      chat: new MongoChatStore(() => store.database()),
      analytics: new MongoAnalyticsStore(() => store.database()),
      alerts: new MongoAlertStore(() => store.database()),
      iot: new MongoIotStore(() => store.database()),
      spoolDir,
      describe: 'MongoDB (GridFS content)',
    };
  }
  const store = new LevelStore(path.join(config.dataDir, 'store'));
  return {
    store,
    workflows: store.workflowStore(),
    blobs: new FileBlobStore(path.join(config.dataDir, 'blobs')),
    cache: store.cacheStore(),
    audit: store.auditStore(),
    auth: store.authStore(),
    members: store.memberStore(),
    events: store.eventStore(),
    chat: store.chatStore(),
    analytics: store.analyticsStore(),
    alerts: store.alertStore(),
    iot: store.iotStore(),
    spoolDir,
    describe: `embedded store in ${config.dataDir}`,
  };
}

export async function openStorage(storage: Storage): Promise<void> {
  await storage.store.open();
  await storage.workflows.open?.();
  await storage.cache.open?.();
  await storage.audit.open?.();
  await storage.auth.open?.();
  await storage.members.open?.();
  await storage.events.open?.();
  await storage.chat.open?.();
  await storage.analytics.open?.();
  await storage.alerts.open?.();
  await storage.iot.open?.();
  await storage.blobs.open();
}

export async function closeStorage(storage: Storage): Promise<void> {
  await storage.blobs.close();
  await storage.store.close();
}
