/**
 * The one vocabulary every neural-input source speaks. A source (camera, XR hands, EEG, a device
 * bridge) reports what it recognised as readings; the channel's policy (calibration threshold,
 * minimum hold, debounce) decides which readings become commands sent to the server.
 */
export type NeuralSourceKind = 'camera' | 'xr-hands' | 'eeg' | 'bridge';

export interface NeuralReading {
  /** What was recognised, e.g. `raise_left_hand`, `thumbs_up`, `focus`. */
  readonly command: string;
  /** 0..1, how sure the source is. */
  readonly confidence: number;
  readonly source: NeuralSourceKind;
  /** Milliseconds (performance.now() clock) when the frame or sample was taken. */
  readonly at: number;
}

export interface NeuralSource {
  readonly kind: NeuralSourceKind;
  /** Starts recognising; rejects with a message a person can act on (no camera, denied, …). */
  start(): Promise<void>;
  stop(): void;
  /** Subscribes to readings; returns the unsubscribe function. */
  onReading(listener: (reading: NeuralReading) => void): () => void;
  /** Stops and releases everything the source registered, its listeners included; it cannot start again. */
  dispose(): void;
}
