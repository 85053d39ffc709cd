/**
 * The administrators' view of the whole site: people online by device, sessions and the time spent
 * in worlds (desktop, VR, AR, phone), workflow runs, REST requests, AI cost, and the busiest worlds
 * and hours of the day — all from the analytics rollups, redrawn on every refresh.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { series, siteUsage } from './analyticsApi';
import { toColumns, type ColumnOptions } from './chartData';
import { LineChart } from './LineChart';
import { duration } from './parts';
import type { Range } from './range';

interface ChartDef {
  series: string;
  chart: LineChart;
  columns: Omit<ColumnOptions, 'resolution' | 'from' | 'to'>;
}

export function siteCharts(): { element: HTMLElement; refresh(range: Range): Promise<void>; dispose(): void } {
  const chart = (id: string, title: string, unit: string) => new LineChart({ id, title, unit });
  const defs: ChartDef[] = [
    { series: 'people', chart: chart('people', 'People online, by device', 'people'), columns: { reading: 'max', splitBy: 'device', zeroWhenMissing: false } },
    { series: 'sessions', chart: chart('sessions', 'Sessions ended, by device', 'sessions'), columns: { reading: 'sum', splitBy: 'device', zeroWhenMissing: true } },
    { series: 'session_seconds', chart: chart('time', 'Time spent in worlds, by device', 'minutes'), columns: { reading: 'sum', splitBy: 'device', zeroWhenMissing: true, scale: 1 / 60 } },
    { series: 'workflow_runs', chart: chart('runs', 'Workflow runs, by outcome', 'runs'), columns: { reading: 'sum', splitBy: 'outcome', zeroWhenMissing: true } },
    { series: 'http_requests', chart: chart('requests', 'REST requests, by status', 'requests'), columns: { reading: 'sum', splitBy: 'status', zeroWhenMissing: true } },
    { series: 'ai_cost', chart: chart('ai-cost', 'AI cost, by provider', 'cost'), columns: { reading: 'sum', splitBy: 'provider', zeroWhenMissing: true } },
  ];
  const hours = new LineChart({ id: 'hours', title: 'Busiest hours of the day (UTC), sessions', unit: 'sessions', hoursOfDay: true, empty: 'No sessions ended in this range yet.' });
  const busiest = h('ol', { class: 'dash-list', 'data-testid': 'busiest-worlds' });
  const element = h(
    'section',
    { class: 'dash-grid' },
    ...defs.map((d) => h('div', { class: 'card' }, d.chart.element)),
    h('div', { class: 'card' }, hours.element),
    h('div', { class: 'card' }, h('h2', {}, 'Busiest worlds'), busiest),
  );

  return {
    element,
    async refresh(range) {
      const [usage, ...rows] = await Promise.all([siteUsage(range.from, range.to), ...defs.map((d) => series(d.series, range.resolution, range.from, range.to))]);
      defs.forEach((d, i) => d.chart.show(toColumns(rows[i]!, { ...d.columns, resolution: range.resolution, from: range.from, to: range.to })));
      const any = usage.byHourOfDay.some((x) => x.sessions);
      hours.show({ times: usage.byHourOfDay.map((_, i) => i), lines: any ? [{ label: 'sessions', values: usage.byHourOfDay.map((x) => x.sessions) }] : [] });
      replaceChildren(
        busiest,
        ...(usage.busiestWorlds.length
          ? usage.busiestWorlds.map((w) => h('li', {}, h('strong', {}, w.name), ` — ${w.sessions} session${w.sessions === 1 ? '' : 's'}, ${duration(w.seconds * 1000)}`))
          : [h('li', { class: 'muted' }, 'No sessions ended in this range yet.')]),
      );
    },
    dispose() {
      for (const d of defs) d.chart.dispose();
      hours.dispose();
    },
  };
}
