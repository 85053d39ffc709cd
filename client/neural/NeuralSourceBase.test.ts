import { afterEach, describe, expect, it, vi } from 'vitest';
import { EegSource } from './eeg/EegSource';
import { NeuralSourceBase } from './NeuralSourceBase';
import type { NeuralReading } from './types';
import { XrHandSource } from './xr/XrHandSource';

/** A source that registers on a target it is given, as real sources do on a scene, a timer or a socket. */
class TargetSource extends NeuralSourceBase {
  readonly kind = 'bridge' as const;
  readonly notes = this.listeners<string>();
  constructor(private readonly target: EventTarget) {
    super();
  }
  async start() {
    this.ensureLive();
    const onPing = () => this.readings.emit({ command: 'confirm', confidence: 1, source: this.kind, at: 0 });
    this.target.addEventListener('ping', onPing);
    this.whileRunning.add(() => this.target.removeEventListener('ping', onPing));
  }
  listening() {
    return { readings: this.readings.size, notes: this.notes.size, registered: this.whileRunning.size };
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('neural sources', () => {
  it('release on dispose every listener they took and everything they registered', async () => {
    const target = new EventTarget();
    const source = new TargetSource(target);
    const heard: NeuralReading[] = [];
    source.onReading((r) => heard.push(r));
    source.notes.add(() => undefined);
    await source.start();
    target.dispatchEvent(new Event('ping'));
    expect(heard).toHaveLength(1);
    expect(source.listening()).toEqual({ readings: 1, notes: 1, registered: 1 });

    source.dispose();
    target.dispatchEvent(new Event('ping'));
    expect(heard).toHaveLength(1);
    expect(source.listening()).toEqual({ readings: 0, notes: 0, registered: 0 });
    await expect(source.start()).rejects.toThrow(/closed/);
  });

  it('XR hands: dispose takes the frame callback back, and a closed source cannot start again', async () => {
    const frames = new Set<() => void>();
    const source = new XrHandSource({
      handJoints: () => null,
      onFrame: (frame) => {
        frames.add(frame);
        return () => frames.delete(frame);
      },
    });
    source.onReading(() => undefined);
    await source.start();
    await source.start();
    expect(frames.size).toBe(1);
    source.dispose();
    expect(frames.size).toBe(0);
    await expect(source.start()).rejects.toThrow(/closed/);
    expect(frames.size).toBe(0);
  });

  it('EEG: dispose stops the simulator and no listener hears of it again', async () => {
    vi.useFakeTimers();
    const source = new EegSource({ type: 'simulator', seed: 3 });
    let updates = 0;
    source.onUpdate(() => updates++);
    source.onReading(() => undefined);
    source.onError(() => undefined);
    await source.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(updates).toBeGreaterThan(0);

    source.dispose();
    const before = updates;
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(updates).toBe(before);
    await expect(source.start()).rejects.toThrow(/closed/);
    expect(vi.getTimerCount()).toBe(0);
  });
});
