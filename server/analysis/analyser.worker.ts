/** The offline analyser in a worker thread: one `{ id, input }` message in, one reply out. */
import { parentPort } from 'node:worker_threads';
import { analyse, type AnalyseOptions } from './OfflineAnalyser';

export interface AnalyserJob {
  text: string;
  opts: AnalyseOptions;
}

const port = parentPort!;
port.on('message', ({ id, input }: { id: number; input: AnalyserJob }) => {
  try {
    port.postMessage({ id, ok: true, result: analyse(input.text, input.opts) });
  } catch (err) {
    port.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
port.postMessage({ type: 'ready' });
