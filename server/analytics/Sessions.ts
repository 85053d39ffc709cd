/**
 * Sessions: from someone joining a world to them leaving it for good (a dropped connection that
 * comes back is the same session). A session follows its person's device as it changes (a page
 * that enters VR, a phone that starts AR), so the time spent on each device is known. When one ends
 * it is counted in the metrics under the device it spent longest on, its seconds under each device
 * used, and added to its world's hour rows (`world_sessions`: count under that device, seconds under
 * each), which is what a world's owner sees of its use and what names the busiest worlds and hours.
 * Writes are batched: one store write at a time, however many leave at once.
 */
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import type { Logger } from '../log';
import type { Metrics } from '../metrics/Metrics';
import { bucketOf } from './Analytics';

const DEVICES = new Set(['desktop', 'vr', 'ar', 'mobile']);
const deviceOf = (device: string) => (DEVICES.has(device) ? device : 'other');

export interface SessionsOptions {
  metrics?: Pick<Metrics, 'sessionEnded'>;
  store: AnalyticsStore;
  log: Logger;
  now?: () => number;
}

interface OpenSession {
  device: string;
  /** When the current device was taken up. */
  since: number;
  /** Seconds on each device before the current one. */
  seconds: Map<string, number>;
}

export class Sessions {
  private readonly open = new Map<string, OpenSession>();
  private pending: RollupPoint[] = [];
  private writing: Promise<void> | null = null;
  /** Counts the writes that reached the store: what was read of the rows before is stale once it moves. */
  written = 0;
  private readonly now: () => number;

  constructor(private readonly o: SessionsOptions) {
    this.now = o.now ?? Date.now;
  }

  started(worldId: string, participantId: string, device: string): void {
    this.open.set(`${worldId}/${participantId}`, { device: deviceOf(device), since: this.now(), seconds: new Map() });
  }

  /** The person's device now (every pose may say it: this is cheap when it has not changed). */
  device(worldId: string, participantId: string, device: string): void {
    const session = this.open.get(`${worldId}/${participantId}`);
    const now = deviceOf(device);
    if (!session || session.device === now) return;
    const at = this.now();
    session.seconds.set(session.device, (session.seconds.get(session.device) ?? 0) + (at - session.since) / 1000);
    session.device = now;
    session.since = at;
  }

  ended(worldId: string, participantId: string): void {
    const key = `${worldId}/${participantId}`;
    const session = this.open.get(key);
    if (!session) return;
    this.open.delete(key);
    const at = this.now();
    const seconds = new Map(session.seconds);
    seconds.set(session.device, (seconds.get(session.device) ?? 0) + Math.max(0, (at - session.since) / 1000));
    const main = [...seconds].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    this.o.metrics?.sessionEnded(main, seconds);
    const bucket = bucketOf(at, 'hour');
    for (const [device, s] of seconds) {
      const count = device === main ? 1 : 0;
      this.pending.push({ resolution: 'hour', series: 'world_sessions', labels: `device=${device},world=${worldId}`, bucket, count, sum: s, min: s, max: s });
    }
    this.writeInBackground();
  }

  /** People in a world now, by the device they are on. */
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
      .then(() => {
        this.written++;
      })
      .catch((err: unknown) => this.o.log.warn({ err, sessions: batch.length }, 'sessions could not be kept in the analytics'))
      .finally(() => {
        this.writing = null;
        this.writeInBackground();
      });
  }
}
