/**
 * What every neural source shares: its listener lists and what it registers while running (frame
 * callbacks, timers, sockets, media tracks) are owned here, so `stop` releases what a run
 * registered and `dispose` releases everything, listeners included, without each source keeping
 * its own books. A disposed source cannot start again.
 */
import { Disposables, Listeners } from './listeners';
import type { NeuralReading, NeuralSource, NeuralSourceKind } from './types';

export abstract class NeuralSourceBase implements NeuralSource {
  abstract readonly kind: NeuralSourceKind;
  private readonly lists: Array<{ clear(): void }> = [];
  /** Released by `stop` (and so by `dispose`): what the current run registered. */
  protected readonly whileRunning = new Disposables();
  protected readonly readings = this.listeners<NeuralReading>();
  private disposed = false;

  /** Starts recognising; rejects with a message a person can act on (no camera, denied, …). */
  abstract start(): Promise<void>;

  /** A listener list of this source's, emptied when it is disposed. */
  protected listeners<T>(): Listeners<T> {
    const list = new Listeners<T>();
    this.lists.push(list);
    return list;
  }

  /** Refuses to start a source that was disposed. */
  protected ensureLive(): void {
    if (this.disposed) throw new Error(`This ${this.kind} source was closed; open the neural panel again.`);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  onReading(listener: (reading: NeuralReading) => void): () => void {
    return this.readings.add(listener);
  }

  stop(): void {
    this.whileRunning.releaseAll();
  }

  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    for (const list of this.lists) list.clear();
  }
}
