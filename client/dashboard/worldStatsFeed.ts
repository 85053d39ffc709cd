/**
 * A world's figures for its owner inside the world (the page's Stats panel and the headset menu's
 * Stats tab): read from the analytics when asked, at most every FRESH_MS, and told as plain lines.
 */
import { worldStats, type WorldStats } from './analyticsApi';
import { duration, errorText } from './parts';
import { byDevice } from './worldCard';

const FRESH_MS = 15_000;

/** The figures as lines a panel or a headset menu shows. */
export function statsLines(s: WorldStats): string[] {
  const runs = Object.values(s.runsLastDay).reduce((a, b) => a + b, 0);
  const failed = s.runsLastDay.failed ?? 0;
  const busiest = s.hours.reduce<(typeof s.hours)[number] | null>((best, h) => (h.sessions > (best?.sessions ?? 0) ? h : best), null);
  return [
    `Here now: ${byDevice(s.peopleNow)}`,
    `Sessions in the last 24 h: ${s.lastDay.sessions}${s.lastDay.sessions ? `, ${duration(s.lastDay.seconds * 1000)} in all` : ''}`,
    `Runs in the last 24 h: ${runs}${runs ? ` (${failed} failed)` : ''}`,
    busiest ? `Busiest hour this week: ${new Date(busiest.at).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}, ${busiest.sessions} sessions` : 'Nobody has left this world in the last week yet.',
  ];
}

export interface WorldStatsFeed {
  /** Only owners are shown the figures; null for anyone else. */
  setOwner(owner: boolean): void;
  /** The lines to show: null when not an owner. */
  lines(): string[] | null;
  /** Reads the figures again unless they are fresh. */
  load(): void;
  onChange(listener: () => void): () => void;
}

export function worldStatsFeed(worldId: string): WorldStatsFeed {
  let owner = false;
  let shown: string[] = ['Loading…'];
  let readAt = 0;
  let reading = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  return {
    setOwner(o) {
      if (o === owner) return;
      owner = o;
      changed();
    },
    lines: () => (owner ? shown : null),
    load() {
      if (!owner || reading || Date.now() - readAt < FRESH_MS) return;
      reading = true;
      worldStats(worldId)
        .then((s) => {
          shown = statsLines(s);
          readAt = Date.now();
        })
        .catch((err: unknown) => {
          shown = [`Could not read the figures: ${errorText(err)}`];
        })
        .finally(() => {
          reading = false;
          changed();
        });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
