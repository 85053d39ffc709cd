/** Small pieces the dashboard's cards share: durations for people, a figure, an error's sentence. */
import { ApiError } from '../net/api';
import { h } from '../ui/kit/dom';

/** A duration for people: 850 ms, 4.2 s, 3 min, 2.5 h. */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A labelled figure of a figures list (`<dl>`), label above value. */
export function figure(label: string, value: string, id: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': `figure-${id}` }, value));
}

export const errorText = (err: unknown) => (err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
