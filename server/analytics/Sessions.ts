/**
 * Sessions: from someone joining a world to them leaving it for good (a dropped connection that
 * comes back is the same session). When one ends it is counted in the metrics by device and added
 * to its world's hour row (`world_sessions`: count and seconds), which is what a world's owner sees
 * of its use and what names the busiest worlds and hours. Writes are batched: one store write per
 * flush, however many leave at once.
 */
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import type { Logger } from '../log';
import type { Metrics } from '../metrics/Metrics';
import { bucketOf } from './Analytics';

const DEVICES = new Set(['desktop', 'vr', 'ar', 'mobile']);

export interface SessionsOptions {
  metrics?: Pick<Metrics, 'sessionEnded'>;
  store: AnalyticsStore;
  log: Logger;
  now?: () => number;
}

export class Sessions {
  private readonly open = new Map<string, { device: string; at: number }>();
  private pending: RollupPoint[] = [];
  private writing: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly o: SessionsOptions) {
    this.now = o.now ?? Date.now;
  }

  started(worldId: string, participantId: string, device: string): void {
    this.open.set(`${worldId}/${participantId}`, { device: DEVICES.has(device) ? device : 'other', at: this.now() });
  }

  ended(worldId: string, participantId: string): void {
    const key = `${worldId}/${participantId}`;
    const session = this.open.get(key);
    if (!session) return;
    this.open.delete(key);
    const at = this.now();
    const seconds = Math.max(0, (at - session.at) / 1000);
    this.o.metrics?.sessionEnded(session.device, seconds);
    this.pending.push({ resolution: 'hour', series: 'world_sessions', labels: `device=${session.device},world=${worldId}`, bucket: bucketOf(at, 'hour'), count: 1, sum: seconds, min: seconds, max: seconds });
    this.writeInBackground();
  }

  /** People in a world now, by device (sessions not yet ended). */
  openIn(worldId: string): Record<string, number> {
    const out: Record<string, number> = {};
    const prefix = `${worldId}/`;
    for (const [key, s] of this.open) if (key.startsWith(prefix)) out[s.device] = (out[s.device] ?? 0) + 1;
    return out;
  }

  /** Waits for what is being written, and writes what is left. */
  async flush(): Promise<void> {
    while (this.writing || this.pending.length) {
      this.writeInBackground();
      await this.writing;
    }
  }

  private writeInBackground(): void {
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.o.store
      .addPoints(batch)
      .catch((err: unknown) => this.o.log.warn({ err, sessions: batch.length }, 'sessions could not be kept in the analytics'))
      .finally(() => {
        this.writing = null;
        this.writeInBackground();
      });
  }
}
