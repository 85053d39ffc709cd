/**
 * The start of every worker thread of a WorkerPool: loads tsx in the thread, then the worker's
 * TypeScript module. Node does not carry a parent's `--import tsx` hooks into a worker, and under
 * vitest there are none to carry, so the thread registers its own.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
