/**
 * `#/dashboard`: how the site and your worlds are used. Administrators see the alerts firing, the whole site's charts,
 * the busiest worlds and hours, and a CSV report; owners see their own worlds and the workflows in
 * them. It refreshes itself every REFRESH_MS while open, and says when it last did.
 */
import './dashboard.css';
import { currentAccount, onAccountChange } from '../net/account';
import { h, replaceChildren } from '../ui/kit/dom';
import { alertsCard } from './alertsCard';
import { overview } from './analyticsApi';
import { errorText } from './parts';
import { RANGES, rangeFor, type Range, type RangeId } from './range';
import { reportCard } from './reportCard';
import { siteCharts } from './siteCharts';
import { workflowCard } from './workflowCard';
import { worldCard } from './worldCard';

const REFRESH_MS = 15_000;

export interface DashboardOptions {
  backToLobby(): void;
}

export function mountDashboard(root: HTMLElement, opts: DashboardOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const disposers: Array<() => void> = [];
  const rangePicker = h('select', { id: 'dash-range', 'data-testid': 'dash-range' }, ...RANGES.map((r) => h('option', { value: r.id, selected: r.id === '1h' }, r.label)));
  const updated = h('span', { class: 'muted', role: 'status', 'data-testid': 'dash-updated' });
  const back = h('button', { type: 'button', class: 'secondary' }, 'Back to the lobby');
  back.addEventListener('click', () => opts.backToLobby());
  const content = h('div', { class: 'dash-content' }, h('p', { class: 'muted' }, 'Loading…'));
  replaceChildren(
    root,
    h(
      'main',
      { class: 'dashboard', 'data-testid': 'dashboard' },
      h('header', { class: 'dash-header' }, h('h1', {}, 'Dashboard'), h('div', { class: 'row' }, h('label', { for: 'dash-range', class: 'inline' }, 'Range'), rangePicker, back), updated),
      content,
    ),
  );
  const range = (): Range => rangeFor(rangePicker.value as RangeId);

  let refreshers: Array<(r: Range) => Promise<void>> = [];
  const refresh = async () => {
    const r = range();
    const results = await Promise.allSettled(refreshers.map((f) => f(r)));
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    updated.textContent = failed ? `Could not refresh: ${errorText(failed.reason)}` : `Updated ${new Date().toLocaleTimeString()}`;
    updated.dataset.refreshes = String(Number(updated.dataset.refreshes ?? 0) + 1);
  };
  // each (re)start of the refreshing is a new generation; an older one still awaiting stops there
  let generation = 0;
  const loop = async (mine = ++generation) => {
    await refresh();
    if (!stopped && mine === generation) timer = setTimeout(() => loop(mine).catch(() => undefined), REFRESH_MS);
  };
  rangePicker.addEventListener('change', () => {
    clearTimeout(timer);
    loop().catch(() => undefined);
  });

  const build = async () => {
    for (const d of disposers.splice(0)) d();
    refreshers = [];
    if (!currentAccount()) {
      replaceChildren(content, h('section', { class: 'card notice' }, h('p', {}, 'Sign in (in the lobby) as an administrator or as the owner of a world to see how it is used.')));
      return;
    }
    try {
      const seen = await overview();
      const parts: Array<HTMLElement | null> = [];
      if (seen.admin) {
        const alerts = alertsCard();
        refreshers.push(() => alerts.refresh());
        parts.push(alerts.element);
        const site = siteCharts();
        disposers.push(() => site.dispose());
        refreshers.push((r) => site.refresh(r));
        parts.push(h('h2', { class: 'dash-section' }, 'The site'), site.element);
      }
      const world = worldCard(seen.worlds);
      disposers.push(() => world.dispose());
      refreshers.push(() => world.refresh());
      const flows = workflowCard();
      refreshers.push((r) => flows.refresh(r));
      parts.push(h('h2', { class: 'dash-section' }, seen.admin ? 'Worlds and workflows' : 'Your worlds and workflows'), h('div', { class: 'dash-stack' }, world.element, flows.element));
      if (seen.admin) parts.push(reportCard(range));
      replaceChildren(content, ...parts);
    } catch (err) {
      replaceChildren(content, h('section', { class: 'card notice', role: 'alert' }, errorText(err)));
      return;
    }
    clearTimeout(timer);
    await loop();
  };
  const stopAccount = onAccountChange(() => {
    build().catch(() => undefined);
  });
  build().catch(() => undefined);

  return () => {
    stopped = true;
    clearTimeout(timer);
    stopAccount();
    for (const d of disposers.splice(0)) d();
  };
}
