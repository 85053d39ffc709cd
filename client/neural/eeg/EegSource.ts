/**
 * The EEG source: band powers and commands from a headband bridge over a WebSocket (the JSON
 * format in docs/neural-bridge.md) or from the built-in simulator. A malformed message is
 * reported and skipped; the stream goes on.
 */
import { NeuralSourceBase } from '../NeuralSourceBase';
import { EegProcessor, type EegUpdate } from './EegProcessor';
import { parseEegMessage } from './eegMessages';
import { EegSimulator, type SimulatedState } from './EegSimulator';

export type EegInput = { type: 'simulator'; seed?: number } | { type: 'websocket'; url: string };

/** The simulator sends this many samples per channel every tick (8 ticks a second at 256 Hz). */
const SIM_CHUNK = 32;

export class EegSource extends NeuralSourceBase {
  readonly kind = 'eeg' as const;
  private readonly updateListeners = this.listeners<EegUpdate>();
  private readonly errorListeners = this.listeners<string>();
  private processor = new EegProcessor();
  private simulator: EegSimulator | null = null;
  private socket: WebSocket | null = null;
  private simulatedState: SimulatedState = 'neutral';

  constructor(public input: EegInput = { type: 'simulator' }) {
    super();
  }

  /** What the simulator imitates (kept across restarts). */
  setSimulatedState(state: SimulatedState): void {
    this.simulatedState = state;
    if (this.simulator) this.simulator.state = state;
  }

  async start(): Promise<void> {
    this.ensureLive();
    this.stop();
    this.processor = new EegProcessor();
    if (this.input.type === 'simulator') {
      const sim = new EegSimulator(this.input.seed ?? 1);
      sim.state = this.simulatedState;
      this.simulator = sim;
      const timer = setInterval(() => this.take(sim.next(SIM_CHUNK)), (SIM_CHUNK / sim.rate) * 1000);
      this.whileRunning.add(() => {
        clearInterval(timer);
        this.simulator = null;
      });
      return;
    }
    const url = this.input.url;
    if (!/^wss?:\/\//i.test(url)) throw new Error('The EEG bridge address must start with ws:// or wss://.');
    await new Promise<void>((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch {
        return reject(new Error(`"${url}" is not a WebSocket address.`));
      }
      this.socket = socket;
      this.whileRunning.add(() => {
        // cleared first, so the close this causes is not reported as the bridge's doing
        if (this.socket === socket) this.socket = null;
        socket.close();
      });
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error(`Could not connect to the EEG bridge at ${url}. Check that it is running and that this server lets pages reach it (EEG_BRIDGE_ORIGINS).`));
      socket.onclose = () => {
        if (this.socket === socket) this.report('The EEG bridge closed the connection.');
        this.socket = null;
      };
      socket.onmessage = (event) => {
        const parsed = parseEegMessage(event.data);
        if (parsed.ok) this.take(parsed.message);
        else this.report(parsed.error);
      };
    });
  }

  /** Band powers and indices as they are computed, for the chart. */
  onUpdate(listener: (update: EegUpdate) => void): () => void {
    return this.updateListeners.add(listener);
  }

  /** Problems with the stream (a bad message, a closed bridge) that do not stop it. */
  onError(listener: (message: string) => void): () => void {
    return this.errorListeners.add(listener);
  }

  private take(message: Parameters<EegProcessor['push']>[0]): void {
    let update: EegUpdate | null;
    try {
      update = this.processor.push(message, performance.now());
    } catch (err) {
      return this.report(err instanceof Error ? err.message : String(err));
    }
    if (!update) return;
    this.updateListeners.emit(update);
    for (const r of update.readings) this.readings.emit(r);
  }

  private report(message: string): void {
    this.errorListeners.emit(message);
  }
}
