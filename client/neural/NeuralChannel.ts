/**
 * The one neural-input channel of a participant: sources (camera, XR hands, EEG) are added to it
 * and turned on and off; every reading they make goes through the policy, and only the commands
 * the policy gives are sent to the server. Listeners (the HUDs) see every reading with its verdict.
 */
import type { NeuralSourceKind } from '../../shared/protocol';
import { NeuralPolicy, type Verdict } from './policy';
import type { NeuralReading, NeuralSource } from './types';

/** How the channel reaches the world: the session in the app, a stub in tests. */
export interface NeuralTransport {
  sendCommand(command: { command: string; confidence: number; source: NeuralSourceKind }): void;
  reportSources(sources: NeuralSourceKind[]): void;
}

export interface ChannelEvent {
  reading: NeuralReading;
  verdict: Verdict;
  /** Whether this reading made a command go to the server. */
  sent: boolean;
}

interface Entry {
  source: NeuralSource;
  on: boolean;
  unsubscribe: () => void;
}

export class NeuralChannel {
  private readonly entries: Entry[] = [];
  private readonly listeners = new Set<(event: ChannelEvent) => void>();
  private readonly activeListeners = new Set<(active: NeuralSourceKind[]) => void>();

  constructor(
    private readonly transport: NeuralTransport,
    readonly policy: NeuralPolicy = new NeuralPolicy(),
  ) {}

  /**
   * Adds a source. Whatever it reads goes through the policy like any other source's readings
   * (a stopped source reads nothing). Turn it on with {@link start}, or, when its own control
   * starts and stops it, tell the channel with {@link setRunning}. Returns a function that stops
   * and removes it.
   */
  addSource(source: NeuralSource): () => void {
    if (this.entries.some((e) => e.source === source)) return () => this.removeSource(source);
    const unsubscribe = source.onReading((reading) => this.feed(reading));
    this.entries.push({ source, on: false, unsubscribe });
    return () => this.removeSource(source);
  }

  removeSource(source: NeuralSource): void {
    const i = this.entries.findIndex((e) => e.source === source);
    if (i < 0) return;
    const [entry] = this.entries.splice(i, 1);
    entry!.unsubscribe();
    if (entry!.on) {
      entry!.source.stop();
      this.changed();
    }
  }

  /** Turns a source on; rejects with the source's own message when it cannot start. */
  async start(source: NeuralSource): Promise<void> {
    const entry = this.entries.find((e) => e.source === source) ?? (this.addSource(source), this.entries.at(-1)!);
    if (entry.on) return;
    await source.start();
    entry.on = true;
    this.changed();
  }

  stop(source: NeuralSource): void {
    const entry = this.entries.find((e) => e.source === source);
    if (!entry?.on) return;
    entry.on = false;
    source.stop();
    this.changed();
  }

  /** For a source its own control starts and stops: whether it is running now (for the indicator and the server's list). */
  setRunning(source: NeuralSource, on: boolean): void {
    const entry = this.entries.find((e) => e.source === source);
    if (!entry || entry.on === on) return;
    entry.on = on;
    this.changed();
  }

  isOn(source: NeuralSource): boolean {
    return this.entries.find((e) => e.source === source)?.on ?? false;
  }

  /** The kinds of source on right now. */
  active(): NeuralSourceKind[] {
    return [...new Set(this.entries.filter((e) => e.on).map((e) => e.source.kind))];
  }

  /** The one way in for readings: judged by the policy, sent when it gives the command. */
  feed(reading: NeuralReading): ChannelEvent {
    const verdict = this.policy.judge(reading);
    const sent = verdict.type === 'fire';
    if (sent) {
      const confidence = Math.max(0, Math.min(1, Math.round(verdict.confidence * 1000) / 1000));
      this.transport.sendCommand({ command: reading.command, confidence, source: reading.source });
    }
    const event: ChannelEvent = { reading, verdict, sent };
    for (const listener of this.listeners) listener(event);
    return event;
  }

  onEvent(listener: (event: ChannelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onActiveChange(listener: (active: NeuralSourceKind[]) => void): () => void {
    this.activeListeners.add(listener);
    return () => this.activeListeners.delete(listener);
  }

  dispose(): void {
    for (const entry of [...this.entries]) this.removeSource(entry.source);
    this.listeners.clear();
    this.activeListeners.clear();
  }

  private changed(): void {
    const active = this.active();
    this.transport.reportSources(active);
    for (const listener of this.activeListeners) listener(active);
  }
}
