import { describe, expect, it } from 'vitest';
import { NeuralChannel, type NeuralTransport } from './NeuralChannel';
import { NeuralPolicy } from './policy';
import { NeuralSourceBase } from './NeuralSourceBase';

class FakeSource extends NeuralSourceBase {
  readonly kind = 'xr-hands' as const;
  running = false;
  fail: string | null = null;
  async start() {
    if (this.fail) throw new Error(this.fail);
    this.running = true;
  }
  override stop() {
    super.stop();
    this.running = false;
  }
  emit(command: string, confidence: number, at: number) {
    this.readings.emit({ command, confidence, at, source: this.kind });
  }
}

function setup() {
  const sent: Array<{ command: string; confidence: number }> = [];
  const reported: string[][] = [];
  const transport: NeuralTransport = { sendCommand: (c) => sent.push(c), reportSources: (s) => reported.push(s) };
  const channel = new NeuralChannel(transport, new NeuralPolicy({ defaultThreshold: 0.6, thresholds: {}, holdMs: 200, maxGapMs: 200, debounceMs: 1000 }));
  return { channel, sent, reported };
}

describe('the neural channel', () => {
  it("sends a source's command only once the policy gives it", async () => {
    const { channel, sent, reported } = setup();
    const source = new FakeSource();
    channel.addSource(source);
    await channel.start(source);
    expect(source.running).toBe(true);
    expect(reported).toEqual([['xr-hands']]);
    const events: string[] = [];
    channel.onEvent((e) => events.push(`${e.reading.command}:${e.verdict.type}:${e.sent}`));
    for (const at of [1000, 1100, 1200]) source.emit('fist', 0.9, at);
    source.emit('fist', 0.4, 1300);
    expect(events).toEqual(['fist:holding:false', 'fist:holding:false', 'fist:fire:true', 'fist:below:false']);
    expect(sent).toEqual([{ command: 'fist', confidence: 0.9, source: 'xr-hands' }]);
    channel.stop(source);
    expect(source.running).toBe(false);
    expect(reported.at(-1)).toEqual([]);
  });

  it('keeps a source off when it cannot start, with its reason', async () => {
    const { channel, reported } = setup();
    const source = new FakeSource();
    source.fail = 'No hands are tracked.';
    await expect(channel.start(source)).rejects.toThrow('No hands are tracked.');
    expect(channel.isOn(source)).toBe(false);
    expect(reported).toEqual([]);
  });

  it('reports a source its own control starts and stops', () => {
    const { channel, reported } = setup();
    const source = new FakeSource();
    channel.addSource(source);
    channel.setRunning(source, true);
    channel.setRunning(source, true);
    channel.setRunning(source, false);
    expect(reported).toEqual([['xr-hands'], []]);
  });

  it('removing a source stops it and reports it gone', async () => {
    const { channel, reported } = setup();
    const source = new FakeSource();
    const remove = channel.addSource(source);
    await channel.start(source);
    remove();
    expect(source.running).toBe(false);
    expect(channel.active()).toEqual([]);
    expect(reported.at(-1)).toEqual([]);
  });
});
