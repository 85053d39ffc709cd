/**
 * The owner's Stats panel in a world: who is here, sessions and runs of the last day, the busiest
 * hour, and a link to the dashboard for the charts. The button shows only for owners.
 */
import { DASHBOARD_HASH } from '../route';
import type { WorldStatsFeed } from '../dashboard/worldStatsFeed';
import { h, replaceChildren } from './kit/dom';
import { cornerPanel } from './kit/onePanel';

export function statsPanel(feed: WorldStatsFeed): { element: HTMLElement; dispose(): void } {
  const toggle = h('button', { type: 'button', class: 'secondary', 'data-testid': 'stats-button', 'aria-expanded': 'false', hidden: true }, 'Stats');
  const list = h('ul', { class: 'stats-lines', 'data-testid': 'stats-lines' });
  const panel = h(
    'section',
    { class: 'members-panel stats-panel', 'data-testid': 'stats-panel', 'aria-label': 'Stats', hidden: true },
    h('h2', {}, 'This world'),
    list,
    h('a', { href: DASHBOARD_HASH, target: '_blank', rel: 'noopener', 'data-testid': 'stats-dashboard-link' }, 'Open the dashboard for charts'),
  );
  const element = h('div', { class: 'stats-wrap' }, toggle, panel);
  const render = () => {
    const lines = feed.lines();
    toggle.hidden = lines === null;
    if (lines === null) return corner.close();
    replaceChildren(list, ...lines.map((l) => h('li', {}, l)));
  };
  const corner = cornerPanel(toggle, panel, () => feed.load());
  const stop = feed.onChange(render);
  render();
  return {
    element,
    dispose() {
      stop();
      corner.dispose();
    },
  };
}
