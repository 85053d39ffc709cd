/**
 * How worlds and workflows are used, read for the dashboard: a world's people now, its sessions and
 * runs over the last day; the busiest worlds and hours of the site; a workflow's insights over a
 * range. Who may see what is decided by the routes (server/http/insights.ts); this only reads.
 */
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import type { Store } from '../adapters/storage/Store';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import type { RunRecord } from '../workflows/engine/runMachine';
import { DAY_MS } from './Analytics';
import type { Sessions } from './Sessions';
import { workflowInsights, type WorkflowInsight } from './workflowInsights';
import type { SessionTotals, SiteUsage, WorldStats } from '../../shared/model/insights';

/** The most runs a workflow's insights read, newest first; older ones are left out and said to be. */
export const MAX_RUNS = 1000;
/** A world's runs of the last day are counted over this many of its workflows (the most recently changed). */
const MAX_WORKFLOWS_COUNTED = 50;
/** How long the week's session rows read for one world's figures serve the next ask. */
const WEEK_FRESH_MS = 10_000;
/** The most session rows one usage read goes through. */
const MAX_ROWS = 50_000;

export interface UsageDeps {
  analytics: AnalyticsStore;
  store: Pick<Store, 'getWorld'>;
  workflows: Pick<WorkflowStore, 'listWorkflows' | 'listRuns' | 'getVersion'>;
  sessions: Pick<Sessions, 'openIn' | 'written'>;
  now?: () => number;
}

/** `device=vr,world=w_1` → { device: 'vr', world: 'w_1' }. */
function labelsOf(labels: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of labels.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

const add = (to: SessionTotals, count: number, seconds: number) => {
  to.sessions += count;
  to.seconds += seconds;
};
const zero = (): SessionTotals => ({ sessions: 0, seconds: 0 });

export class Usage {
  private readonly now: () => number;
  private week: { key: string; at: number; rows: Promise<RollupPoint[]> } | null = null;

  constructor(private readonly d: UsageDeps) {
    this.now = d.now ?? Date.now;
  }

  private sessionRows(from: number, to: number) {
    return this.d.analytics.readPoints({ resolution: 'hour', series: 'world_sessions', from, to, limit: MAX_ROWS + 1 });
  }

  /**
   * The week's session rows of every world, read once per WEEK_FRESH_MS however many owners'
   * panels ask (rows are by world within each hour, so one world's cannot be read alone), and
   * again as soon as a session has been written.
   */
  private weekRows(from: number, to: number): Promise<RollupPoint[]> {
    const key = `${from}/${to}/${this.d.sessions.written}`;
    const now = this.now();
    if (this.week?.key !== key || now - this.week.at > WEEK_FRESH_MS) {
      const rows = this.sessionRows(from, to);
      this.week = { key, at: now, rows };
      rows.catch(() => {
        if (this.week?.rows === rows) this.week = null;
      });
    }
    return this.week.rows;
  }

  async world(worldId: string, name: string): Promise<WorldStats> {
    const now = this.now();
    const hourNow = Math.floor(now / 3_600_000) * 3_600_000;
    const weekStart = hourNow - 7 * DAY_MS + 3_600_000;
    const hours = new Map<number, SessionTotals>();
    for (let at = weekStart; at <= hourNow; at += 3_600_000) hours.set(at, zero());
    const lastDay = { ...zero(), byDevice: {} as Record<string, SessionTotals> };
    for (const row of await this.weekRows(weekStart, hourNow + 3_600_000)) {
      const l = labelsOf(row.labels);
      if (l.world !== worldId) continue;
      const hour = hours.get(row.bucket);
      if (hour) add(hour, row.count, row.sum);
      if (row.bucket >= hourNow - DAY_MS + 3_600_000) {
        add(lastDay, row.count, row.sum);
        add((lastDay.byDevice[l.device ?? 'other'] ??= zero()), row.count, row.sum);
      }
    }
    const runsLastDay: Record<string, number> = {};
    // bounded: the most recently changed workflows' newest runs, however many a world has
    const workflows = (await this.d.workflows.listWorkflows(worldId)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, MAX_WORKFLOWS_COUNTED);
    for (const wf of workflows) {
      for (const run of await this.d.workflows.listRuns(wf.id, 200)) {
        if (run.createdAt >= now - DAY_MS) runsLastDay[run.status] = (runsLastDay[run.status] ?? 0) + 1;
      }
    }
    return {
      world: { id: worldId, name },
      peopleNow: this.d.sessions.openIn(worldId),
      lastDay,
      runsLastDay,
      hours: [...hours].map(([at, t]) => ({ at: new Date(at).toISOString(), ...t })),
    };
  }

  async site(from: number, to: number): Promise<SiteUsage> {
    const rows = await this.sessionRows(from, to);
    const byDevice: Record<string, SessionTotals> = {};
    const byWorld = new Map<string, SessionTotals>();
    const byHourOfDay = Array.from({ length: 24 }, zero);
    for (const row of rows.slice(0, MAX_ROWS)) {
      const l = labelsOf(row.labels);
      add((byDevice[l.device ?? 'other'] ??= zero()), row.count, row.sum);
      const world = l.world ?? '';
      if (!byWorld.has(world)) byWorld.set(world, zero());
      add(byWorld.get(world)!, row.count, row.sum);
      add(byHourOfDay[new Date(row.bucket).getUTCHours()]!, row.count, row.sum);
    }
    const top = [...byWorld].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 10);
    const busiestWorlds = await Promise.all(top.map(async ([id, t]) => ({ id, name: (await this.d.store.getWorld(id))?.name ?? '(deleted world)', ...t })));
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), byDevice, busiestWorlds, byHourOfDay, truncated: rows.length > MAX_ROWS };
  }

  /** Insights over the runs of `workflow` started in [from, to), at most MAX_RUNS of the newest. */
  async workflow(workflow: WorkflowRecord, from: number, to: number): Promise<{ insight: WorkflowInsight; runsRead: number; truncated: boolean }> {
    const version = await this.d.workflows.getVersion(workflow.id, workflow.currentVersion);
    if (!version) throw new Error(`workflow ${workflow.id} has no version ${workflow.currentVersion}`);
    const listed = await this.d.workflows.listRuns(workflow.id, MAX_RUNS + 1);
    const runs: RunRecord[] = listed.slice(0, MAX_RUNS).filter((r) => r.createdAt >= from && r.createdAt < to);
    return { insight: workflowInsights(version.definition, runs), runsRead: runs.length, truncated: listed.length > MAX_RUNS };
  }
}
