import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandMessage } from '../../shared/model/iot';
import type { CommandRecord, DeviceRecord } from '../adapters/storage/IotStore';
import { Commands, OPEN_COMMANDS_PER_DEVICE, onceCommandId } from './Commands';

function device(id: string): DeviceRecord {
  return { id, worldId: 'w1', name: id, type: 'generic', model: '', metadata: {}, keyHash: '', keyHint: '', createdAt: '', createdBy: null, lastSeen: null, firmwareVersion: null, revokedAt: null };
}

function commands(o: { now?: () => number; listening?: boolean; onSend?: (c: Commands, m: CommandMessage) => void } = {}) {
  const stored = new Map<string, CommandRecord>();
  const sent: CommandMessage[] = [];
  let n = 0;
  const c: Commands = new Commands({
    ...(o.now ? { now: o.now } : {}),
    store: {
      putCommand: async (cmd) => void stored.set(cmd.id, cmd),
      getCommand: async (id) => stored.get(id),
      openCommands: async (deviceId) => [...stored.values()].filter((x) => x.deviceId === deviceId && (x.state === 'queued' || x.state === 'sent')),
      recentCommands: async (deviceId) => [...stored.values()].filter((x) => x.deviceId === deviceId),
    },
    send: async (_deviceId, message) => {
      if (o.listening === false) return false;
      sent.push(message);
      o.onSend?.(c, message);
      return true;
    },
    log: pino({ level: 'silent' }),
    newId: () => `id${n++}`,
  });
  return { c, stored, sent };
}

const input = { name: 'setTarget', params: { target: 19 }, timeoutMs: 10_000, ttlMs: 60_000 };

describe('commands given once', () => {
  it('IOT-9: a command given again with the same once-id is answered as it stands and never sent a second time', async () => {
    const { c, stored, sent } = commands();
    const id = onceCommandId(Date.parse('2025-01-01T00:00:00Z'), 'run1/step');
    const first = await c.create(device('dev_a'), input, null, { id });
    expect(first).toMatchObject({ id, state: 'sent' });
    await c.acknowledge('dev_a', { id, ok: true, result: { target: 19 } });
    const again = await c.create(device('dev_a'), { ...input, params: { target: 99 } }, null, { id });
    expect(again).toMatchObject({ id, state: 'done', result: { target: 19 }, params: { target: 19 } });
    expect(sent.map((m) => m.id)).toEqual([id]);
    expect(stored.size).toBe(1);
    // the same id for another device is a mistake, not a second command
    await expect(c.create(device('dev_b'), input, null, { id })).rejects.toThrow(/another device/);
    // without one, each call is a command of its own
    await c.create(device('dev_a'), input, null);
    expect(stored.size).toBe(2);
    c.stop();
  });

  it('makes the same id from the same key and time, sorted by time among ordinary ids', () => {
    const at = Date.parse('2025-06-01T12:00:00Z');
    expect(onceCommandId(at, 'r/s')).toBe(onceCommandId(at, 'r/s'));
    expect(onceCommandId(at, 'r/s')).not.toBe(onceCommandId(at, 'r/t'));
    expect(onceCommandId(at, 'r/s') < onceCommandId(at + 1, 'r/a')).toBe(true);
    expect(onceCommandId(at, 'r/s')).toMatch(/^[0-9a-z]{9}k[A-Za-z0-9_-]{20}$/);
  });

  it('IOT-6: a device that never answers gathers at most OPEN_COMMANDS_PER_DEVICE open commands; the next is refused with 409 and stores nothing', async () => {
    const { c, stored } = commands();
    for (let i = 0; i < OPEN_COMMANDS_PER_DEVICE; i++) await c.create(device('dev_a'), input, null);
    await expect(c.create(device('dev_a'), input, null)).rejects.toMatchObject({ status: 409 });
    expect(stored.size).toBe(OPEN_COMMANDS_PER_DEVICE);
    // another device is not held back by it
    await c.create(device('dev_b'), input, null);
    c.stop();
  });

  it('IOT-6: an answer that comes back while the command is being sent is kept, never overwritten by the send', async () => {
    const { c, stored } = commands({ onSend: (cmds, m) => void cmds.acknowledge('dev_a', { id: m.id, ok: true, result: 1 }).catch(() => undefined) });
    const made = await c.create(device('dev_a'), input, null);
    await new Promise((r) => setTimeout(r, 10));
    expect(stored.get(made.id)).toMatchObject({ state: 'done', result: 1 });
    c.stop();
  });

  it('IOT-7: commands whose time ran out while the device was away do not count against its cap', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { c } = commands({ now: () => now, listening: false });
    for (let i = 0; i < OPEN_COMMANDS_PER_DEVICE; i++) await c.create(device('dev_a'), { ...input, ttlMs: 1000 }, null);
    await expect(c.create(device('dev_a'), input, null)).rejects.toMatchObject({ status: 409 });
    now += 2000;
    expect((await c.create(device('dev_a'), input, null)).state).toBe('queued');
    c.stop();
  });
});
