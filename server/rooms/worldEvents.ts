/**
 * Changes made outside a world's room (uploads and deletions over REST) reach the room through
 * the presence pub/sub, which works in one process and, with Redis presence, across processes.
 */
import type { Presence } from '@colyseus/core';
import type { Logger } from '../log';
import type { DocumentRecord } from '../../shared/model/documents';
import type { UploadedPropKind } from '../../shared/model/props';
import type { RunSummary } from '../../shared/model/runs';
import type { AlertNotice } from '../../shared/protocol';
import type { TwinView } from '../../shared/model/iot';

export type WorldEvent =
  | { type: 'documentAdded'; document: DocumentRecord }
  | { type: 'documentRemoved'; documentId: string }
  /** A document the server is still writing; `body` is what its panel shows so far. */
  | { type: 'documentDraft'; document: DocumentRecord; body: string }
  | { type: 'workflowChanged'; workflowId: string }
  /** A run's progress, summarised: the room applies it as a `runProgress` effect. */
  | { type: 'runChanged'; run: RunSummary }
  /** A person's membership changed (invited, role changed, removed): the room applies it at once. */
  | { type: 'accessChanged'; userId: string; removed: boolean }
  /** A model uploaded over REST: props of its kind may be placed at once. */
  | { type: 'propModelAdded'; model: UploadedPropKind }
  /** A device's twin was placed or changed (null: removed from the world). */
  | { type: 'twinChanged'; deviceId: string; twin: TwinView | null }
  /** A twin's latest reading, at most IOT_TWIN_HZ a second (server/iot/TwinFeed.ts). */
  | { type: 'twinReading'; deviceId: string; value: number; at: number; alarm: boolean }
  | { type: 'twinOnline'; deviceId: string; online: boolean };

export const worldChannel = (worldId: string) => `world:${worldId}`;

export interface WorldEventBus {
  publish(worldId: string, event: WorldEvent): void;
}

export function presenceEventBus(presence: () => Presence, log: Logger): WorldEventBus {
  return {
    // Redis presence answers with a promise; a failed publish costs one update, not the process
    publish: (worldId, event) => {
      Promise.resolve(presence().publish(worldChannel(worldId), event)).catch((err: unknown) => log.error({ err, worldId, event: event.type }, 'a world event could not be published'));
    },
  };
}

/** A sign-in ended: every room closes the connections opened under it. Not tied to one world. */
export interface SessionEnded {
  userId: string;
  familyId: string;
}
export const SESSION_ENDED_CHANNEL = 'auth:sessionEnded';

/** An alert's notice, for the administrators in any world. Not tied to one world. */
export const ALERT_CHANNEL = 'alerts:notice';

export function publishAlertNotice(presence: () => Presence, log: Logger): (notice: AlertNotice) => void {
  return (notice) => {
    Promise.resolve(presence().publish(ALERT_CHANNEL, notice)).catch((err: unknown) => log.error({ err }, 'an alert notice could not be published to the worlds'));
  };
}

export function publishSessionEnded(presence: () => Presence, log: Logger): (userId: string, familyId: string) => void {
  return (userId, familyId) => {
    const event: SessionEnded = { userId, familyId };
    Promise.resolve(presence().publish(SESSION_ENDED_CHANNEL, event)).catch((err: unknown) => log.error({ err, userId }, 'the end of a sign-in could not be published'));
  };
}
