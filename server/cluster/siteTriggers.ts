/**
 * Device triggers in a site of several processes. With an external broker a device's readings are
 * spread over the processes (a shared subscription), but a trigger's condition (a threshold with
 * hysteresis, a learned baseline) must see the device's whole series, in one place: the engine's
 * holder evaluates them all, and the other processes pass it the readings they take. Every process
 * keeps every trigger armed (a workflow changed through one is re-armed in all), so a new holder
 * has them at once. Alone, readings and changes go straight to the watcher.
 */
import type { Presence } from '@colyseus/core';
import type { Reading } from '../../shared/model/iot';
import type { DeviceRecord } from '../adapters/storage/IotStore';
import type { IotTriggers } from '../iot/IotTriggers';
import type { Logger } from '../log';

const READINGS = 'iot:readings';
const CHANGES = 'workflows:changed';

type Device = Pick<DeviceRecord, 'id' | 'worldId'>;
type Passed = { device: Device; reading: Reading };

export interface SiteTriggers {
  reading(device: Device, reading: Reading): void;
  workflowChanged(workflowId: string): void;
  close(): Promise<void>;
}

export async function siteTriggers(o: { presence: Presence; triggers: Pick<IotTriggers, 'reading' | 'workflowChanged'>; holding: () => boolean; log: Logger }): Promise<SiteTriggers> {
  const rearm = (workflowId: string) => {
    o.triggers.workflowChanged(workflowId).catch((err: unknown) => o.log.warn({ err, workflowId }, 'could not re-arm a device trigger'));
  };
  const passed = (m: Passed) => {
    if (o.holding() && typeof m?.device?.id === 'string' && m.reading) o.triggers.reading(m.device, m.reading);
  };
  const changed = (workflowId: unknown) => {
    if (typeof workflowId === 'string') rearm(workflowId);
  };
  await o.presence.subscribe(READINGS, passed);
  await o.presence.subscribe(CHANGES, changed);
  const publish = (channel: string, message: unknown) => {
    Promise.resolve(o.presence.publish(channel, message)).catch((err: unknown) => o.log.warn({ err, channel }, 'could not tell the other processes of a device trigger event'));
  };
  return {
    reading(device, reading) {
      if (o.holding()) o.triggers.reading(device, reading);
      else publish(READINGS, { device: { id: device.id, worldId: device.worldId }, reading } satisfies Passed);
    },
    // heard by this process too (the presence bus delivers to its own subscribers)
    workflowChanged: (workflowId) => publish(CHANGES, workflowId),
    async close() {
      await o.presence.unsubscribe(READINGS, passed);
      await o.presence.unsubscribe(CHANGES, changed);
    },
  };
}
