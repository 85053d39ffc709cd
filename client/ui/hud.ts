/** What floats over the 3D view: the world's name, who is here, copy link, leave, and a hint. */
import { h, replaceChildren } from './dom';
import { toast } from './toast';

export interface HudPerson {
  id: string;
  name: string;
  colour: string;
  connected: boolean;
}

export interface Hud {
  element: HTMLElement;
  setWorldName(name: string): void;
  setPeople(people: HudPerson[], selfId: string): void;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // the clipboard API needs a secure context, which a LAN address over plain HTTP is not
    const area = h('textarea', { 'aria-hidden': 'true', class: 'offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function createHud(onLeave: () => void): Hud {
  const title = h('h1', { class: 'hud-title', 'data-testid': 'world-title' });
  const people = h('ul', { class: 'people', 'data-testid': 'people' });
  const copy = h('button', { type: 'button', 'data-testid': 'copy-link' }, 'Copy link');
  copy.addEventListener('click', () => {
    const url = location.href;
    void copyText(url).then((ok) => toast(ok ? 'Link copied. Send it to whoever should join.' : `Copy this link: ${url}`));
  });
  const leave = h('button', { type: 'button', class: 'secondary', 'data-testid': 'leave' }, 'Leave');
  leave.addEventListener('click', onLeave);
  const element = h(
    'div',
    { class: 'hud' },
    h('section', { class: 'hud-panel hud-left' }, title, h('h2', {}, 'Here now'), people),
    h('div', { class: 'hud-actions' }, copy, leave),
    h('p', { class: 'hud-hint' }, 'WASD or arrows to walk · Q/E or drag to turn · drag a panel to move it'),
  );

  let lastKey = '';
  return {
    element,
    setWorldName(name) {
      title.textContent = name;
      document.title = `${name} · Document Workflow Chain`;
    },
    setPeople(list, selfId) {
      const sorted = [...list].sort((a, b) => Number(b.id === selfId) - Number(a.id === selfId) || a.name.localeCompare(b.name));
      const key = JSON.stringify(sorted);
      if (key === lastKey) return;
      lastKey = key;
      replaceChildren(
        people,
        ...sorted.map((p) => {
          const dot = h('span', { class: 'dot' });
          dot.style.background = p.colour;
          return h(
            'li',
            { class: p.connected ? '' : 'away', 'data-participant-id': p.id },
            dot,
            h('span', {}, p.name),
            p.id === selfId ? h('span', { class: 'muted' }, ' (you)') : null,
            p.connected ? null : h('span', { class: 'muted' }, ' (reconnecting)'),
          );
        }),
      );
    },
  };
}
