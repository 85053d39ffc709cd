/**
 * One chart of the dashboard: uPlot lines (or bars) over time, as wide as its card, with its title,
 * a legend, and a plain sentence instead of an empty frame when there is nothing to draw yet.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, replaceChildren } from '../ui/kit/dom';
import type { ChartColumns } from './chartData';

const COLOURS: Record<string, string> = {
  desktop: '#2f6fde',
  vr: '#8e44ad',
  ar: '#16a085',
  mobile: '#e67e22',
  succeeded: '#2e8b57',
  failed: '#c0392b',
  cancelled: '#7f8c8d',
  '2xx': '#2e8b57',
  '4xx': '#e67e22',
  '5xx': '#c0392b',
};
const SPARE = ['#2f6fde', '#c71585', '#16a085', '#e67e22', '#6a5acd', '#8b4513'];
/** Fewer samples than this in a line and each is marked with a dot. */
const SPARSE = 120;
const colourOf = (label: string, i: number) => COLOURS[label] ?? SPARE[i % SPARE.length]!;

/** A y tick: small values keep the digits that tell them apart (0.0005, 0.001), large ones none. */
const tick = (t: number) => (t === 0 || Math.abs(t) >= 10 ? String(Math.round(t)) : String(Number(t.toPrecision(2))));

export interface ChartOptions {
  id: string;
  title: string;
  unit: string;
  /** x is an hour of the day (0…23) drawn as bars, not a time. */
  hoursOfDay?: boolean;
  empty?: string;
}

export class LineChart {
  readonly element: HTMLElement;
  private readonly body = h('div', { class: 'chart-body' });
  private plot: uPlot | null = null;
  private columns: ChartColumns | null = null;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly o: ChartOptions) {
    this.element = h('figure', { class: 'chart', 'data-testid': `chart-${o.id}` }, h('figcaption', {}, o.title), this.body);
    this.resize.observe(this.body);
  }

  show(columns: ChartColumns): void {
    const drawn = columns.lines.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0);
    this.element.dataset.points = String(drawn);
    this.element.dataset.lines = columns.lines.map((l) => l.label).join(',');
    const sameShape = this.columns && this.plot && this.columns.lines.map((l) => l.label).join() === columns.lines.map((l) => l.label).join();
    this.columns = columns;
    if (columns.lines.length === 0) {
      this.plot?.destroy();
      this.plot = null;
      replaceChildren(this.body, h('p', { class: 'muted chart-empty' }, this.o.empty ?? 'Nothing counted in this range yet.'));
      return;
    }
    const data: uPlot.AlignedData = [columns.times, ...columns.lines.map((l) => l.values)];
    if (sameShape) return this.plot!.setData(data);
    this.plot?.destroy();
    replaceChildren(this.body);
    const width = Math.max(240, this.body.clientWidth);
    this.plot = new uPlot(
      {
        width,
        height: 180,
        scales: { x: { time: !this.o.hoursOfDay } },
        axes: [{ ...(this.o.hoursOfDay ? { values: (_u, ticks) => ticks.map((t) => `${t}h`) } : {}) }, { label: this.o.unit, size: 52, values: (_u, ticks) => ticks.map(tick) }],
        legend: { live: false },
        series: [
          {},
          ...columns.lines.map((l, i) => ({
            label: l.label,
            stroke: colourOf(l.label, i),
            width: 2,
            // a gauge's line of a few samples among gaps would be too short to see: mark each sample
            ...(this.o.hoursOfDay ? { fill: `${colourOf(l.label, i)}99`, paths: uPlot.paths.bars!({ size: [0.7, 40] }) } : { spanGaps: false, points: { show: l.values.includes(null) && l.values.filter((v) => v !== null).length < SPARSE, size: 6 } }),
          })),
        ],
      },
      data,
      this.body,
    );
  }

  private fit(): void {
    if (this.plot && this.body.clientWidth > 0) this.plot.setSize({ width: Math.max(240, this.body.clientWidth), height: 180 });
  }

  dispose(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
