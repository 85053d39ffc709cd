/** Work nobody waits for (a click handler, a refresh on a timer) still has its failure seen. */
import { toast } from './toast';

/** Lets `work` run on; if it fails, the person is told what did not happen and why. */
export function inBackground(work: Promise<unknown>, what: string): void {
  work.catch((err: unknown) => toast(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, 'error'));
}
