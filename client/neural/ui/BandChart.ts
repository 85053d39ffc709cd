/** A live chart of EEG band powers (share of the total, in %) over the last half minute, with uPlot. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { BAND_NAMES, type BandPowers } from '../eeg/bands';

const SPAN_S = 30;
const COLOURS = { delta: '#6a5acd', theta: '#1e90ff', alpha: '#2e8b57', beta: '#ff8c00', gamma: '#c71585' };

export class BandChart {
  readonly element = document.createElement('div');
  private readonly times: number[] = [];
  private readonly series: number[][] = BAND_NAMES.map(() => []);
  private plot: uPlot | null = null;
  private readonly start = performance.now();
  /** Updates so far, for tests and the page's probe. */
  points = 0;

  constructor(private readonly width = 300) {
    this.element.className = 'neural-chart';
    this.element.setAttribute('data-testid', 'eeg-chart');
  }

  push(bands: BandPowers): void {
    const total = BAND_NAMES.reduce((sum, b) => sum + bands[b], 0) || 1;
    const t = (performance.now() - this.start) / 1000;
    this.times.push(t);
    BAND_NAMES.forEach((b, i) => this.series[i]!.push((100 * bands[b]) / total));
    while (this.times.length && this.times[0]! < t - SPAN_S) {
      this.times.shift();
      for (const s of this.series) s.shift();
    }
    this.points++;
    this.element.dataset.points = String(this.points);
    this.draw();
  }

  dispose(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private draw(): void {
    const data: uPlot.AlignedData = [this.times, ...this.series];
    if (this.plot) return this.plot.setData(data);
    // uPlot measures its target; a hidden panel has no size yet
    if (!this.element.isConnected) return;
    this.plot = new uPlot(
      {
        width: this.width,
        height: 140,
        scales: { x: { time: false }, y: { range: [0, 100] } },
        axes: [{ label: 's' }, { label: '%', size: 40 }],
        legend: { live: false },
        series: [{}, ...BAND_NAMES.map((b) => ({ label: b, stroke: COLOURS[b], width: 1.5 }))],
      },
      data,
      this.element,
    );
  }
}
