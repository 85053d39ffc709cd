/**
 * What worlds are told of their twins: a twin placed, changed or removed, a device coming and
 * going, and its readings — at most `hz` a second per twin whatever the device sends (the latest
 * one wins, sent when its turn comes), so people in the world see a steady readout and a flooding
 * device costs the room no more than a quiet one.
 */
import { inAlarm, type Reading, type TwinView } from '../../shared/model/iot';
import type { DeviceRecord } from '../adapters/storage/IotStore';
import type { WorldEventBus } from '../rooms/worldEvents';

interface Pace {
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

export class TwinFeed {
  /** Device → its latest reading of its twin's metric. */
  private readonly latest = new Map<string, { value: number; at: number }>();
  private readonly pace = new Map<string, Pace>();

  constructor(
    private readonly events: WorldEventBus,
    private readonly hz: number,
    private readonly now: () => number = Date.now,
  ) {}

  reading(device: DeviceRecord, reading: Reading): void {
    const twin = device.twin;
    if (!twin) return;
    const value = reading.values[twin.metric];
    if (value === undefined) return;
    // a reading sent late (a device catching up) does not replace a newer one; one stamped ahead of
    // the server's clock counts as now, or it would hold the twin until the clock caught up
    const at = Math.min(reading.ts, this.now());
    const shown = this.latest.get(device.id);
    if (shown && shown.at > at) return;
    this.latest.set(device.id, { value, at });
    const pace = this.pace.get(device.id) ?? { sentAt: 0, timer: null };
    this.pace.set(device.id, pace);
    if (pace.timer) return;
    const wait = pace.sentAt + 1000 / this.hz - this.now();
    if (wait <= 0) return this.send(device);
    pace.timer = setTimeout(() => {
      pace.timer = null;
      this.send(device);
    }, wait);
    pace.timer.unref();
  }

  /** The device's twin was placed, changed or removed (null twin), or the device itself removed; `was` is how it stood before. */
  changed(device: DeviceRecord, online: boolean, removed = false, was?: DeviceRecord['twin']): void {
    const twin = removed ? null : (device.twin ?? null);
    // a twin that now shows another metric does not show the old one's latest value
    if (!twin || (was && was.metric !== twin.metric)) this.forget(device.id);
    this.events.publish(device.worldId, { type: 'twinChanged', deviceId: device.id, twin: twin ? this.view(device, online) : null });
  }

  online(device: DeviceRecord, on: boolean): void {
    if (device.twin) this.events.publish(device.worldId, { type: 'twinOnline', deviceId: device.id, online: on });
  }

  view(device: DeviceRecord, online: boolean): TwinView {
    const latest = this.latest.get(device.id);
    return { deviceId: device.id, name: device.name, type: device.type, twin: device.twin!, online, value: latest?.value ?? null, at: latest?.at ?? 0 };
  }

  stop(): void {
    for (const pace of this.pace.values()) if (pace.timer) clearTimeout(pace.timer);
    this.pace.clear();
  }

  private send(device: DeviceRecord): void {
    const latest = this.latest.get(device.id);
    const pace = this.pace.get(device.id);
    if (!latest || !pace || !device.twin) return;
    pace.sentAt = this.now();
    this.events.publish(device.worldId, { type: 'twinReading', deviceId: device.id, value: latest.value, at: latest.at, alarm: inAlarm(device.twin, latest.value) });
  }

  private forget(deviceId: string): void {
    const pace = this.pace.get(deviceId);
    if (pace?.timer) clearTimeout(pace.timer);
    this.pace.delete(deviceId);
    this.latest.delete(deviceId);
  }
}
