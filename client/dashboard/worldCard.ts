/**
 * One of your worlds: who is in it now, its sessions and the time spent in it over the last day by
 * device, its runs, and a week of sessions by the hour.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { worldStats, type WorldStats } from './analyticsApi';
import { LineChart } from './LineChart';
import { duration, errorText, figure } from './parts';

const DEVICE_NAMES: Record<string, string> = { desktop: 'desktop', vr: 'VR', ar: 'AR', mobile: 'phone' };

/** "2 VR, 1 desktop", or "nobody". */
export function byDevice(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([d, n]) => `${n} ${DEVICE_NAMES[d] ?? d}`);
  return parts.length ? parts.join(', ') : 'nobody';
}

export function worldCard(worlds: ReadonlyArray<{ id: string; name: string }>): { element: HTMLElement; refresh(): Promise<void>; dispose(): void } {
  const picker = h('select', { id: 'dash-world', 'data-testid': 'dash-world' }, ...worlds.map((w) => h('option', { value: w.id }, w.name)));
  const body = h('div', { 'data-testid': 'world-stats' });
  const week = new LineChart({ id: 'world-week', title: 'Sessions by the hour, last 7 days', unit: 'sessions', empty: 'Nobody has left this world in the last week yet.' });
  const element = h('section', { class: 'card dash-wide' }, h('h2', {}, 'Your worlds'), h('label', { for: 'dash-world' }, 'World'), picker, body, week.element);

  const render = (s: WorldStats) => {
    const runs = Object.values(s.runsLastDay).reduce((a, b) => a + b, 0);
    const spent = Object.entries(s.lastDay.byDevice).map(([d, t]) => `${DEVICE_NAMES[d] ?? d} ${duration(t.seconds * 1000)}`);
    replaceChildren(
      body,
      h(
        'dl',
        { class: 'dash-figures' },
        figure('Here now', byDevice(s.peopleNow), 'here-now'),
        figure('Sessions, last 24 h', String(s.lastDay.sessions), 'sessions-day'),
        figure('Time spent', spent.length ? spent.join(', ') : '—', 'time-spent'),
        figure('Runs, last 24 h', runs ? `${runs} (${s.runsLastDay.failed ?? 0} failed)` : '0', 'runs-day'),
      ),
    );
    week.show({ times: s.hours.map((x) => Date.parse(x.at) / 1000), lines: s.hours.some((x) => x.sessions) ? [{ label: 'sessions', values: s.hours.map((x) => x.sessions) }] : [] });
  };

  const refresh = async () => {
    if (!picker.value) return;
    try {
      render(await worldStats(picker.value));
    } catch (err) {
      replaceChildren(body, h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  };
  picker.addEventListener('change', () => {
    refresh().catch(() => undefined);
  });
  if (worlds.length === 0) replaceChildren(element, h('h2', {}, 'Your worlds'), h('p', { class: 'muted' }, 'You own no worlds yet: worlds you create while signed in are yours.'));
  return { element, refresh, dispose: () => week.dispose() };
}
