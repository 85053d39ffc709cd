import { describe, expect, it } from 'vitest';
import type { TwinConfig } from '../../shared/model/iot';
import type { DeviceRecord } from '../adapters/storage/IotStore';
import type { WorldEvent } from '../rooms/worldEvents';
import { TwinFeed } from './TwinFeed';

const twin = (metric: string): TwinConfig => ({ metric, label: '', unit: '', propId: '', position: [0, 1, 0], yaw: 0, min: 0, max: 100, alarmLow: null, alarmHigh: 50, commands: [] });
const device = (t: TwinConfig | null): DeviceRecord => ({ id: 'dev_1', worldId: 'w', name: 'T', type: 'thermostat', model: '', metadata: {}, keyHash: '', keyHint: '', createdAt: '', createdBy: null, lastSeen: null, firmwareVersion: null, revokedAt: null, twin: t });

function feed(now: () => number) {
  const sent: WorldEvent[] = [];
  return { sent, feed: new TwinFeed({ publish: (_w, e) => sent.push(e) }, 1000, now) };
}

describe('what a world is told of its twins', () => {
  it('IOT-11: a reading stamped ahead of the server clock counts as now, so a later one still shows', () => {
    let now = 1_000_000;
    const { sent, feed: f } = feed(() => now);
    f.reading(device(twin('t')), { ts: now + 240_000, values: { t: 60 } });
    now += 1000;
    f.reading(device(twin('t')), { ts: now, values: { t: 20 } });
    expect(sent.map((e) => (e.type === 'twinReading' ? [e.value, e.alarm] : e.type))).toEqual([
      [60, true],
      [20, false],
    ]);
    f.stop();
  });

  it('IOT-11: a twin moved to another metric does not show the old one\'s latest value', () => {
    const now = 1_000_000;
    const { feed: f } = feed(() => now);
    f.reading(device(twin('t')), { ts: now, values: { t: 20 } });
    expect(f.view(device(twin('t')), true)).toMatchObject({ value: 20 });
    f.changed(device(twin('h')), true, false, twin('t'));
    expect(f.view(device(twin('h')), true)).toMatchObject({ value: null, at: 0 });
    f.stop();
  });
});
