/**
 * The lobby's graphics choice: Automatic (which says what it picks on this computer), Full or Light
 * (see scene/graphics.ts). Kept in this browser; used by the next world entered.
 */
import { h } from './kit/dom';
import { chooseTier, detectRenderer, graphicsSetting, saveGraphicsSetting, type GraphicsSetting } from '../scene/graphics';

export function graphicsChoice(): HTMLElement {
  const automatic = chooseTier('auto', detectRenderer());
  const select = h(
    'select',
    { id: 'graphics', 'data-testid': 'graphics' },
    h('option', { value: 'auto' }, `Automatic (${automatic === 'light' ? 'light' : 'full'} on this computer)`),
    h('option', { value: 'full' }, 'Full: lit, with shadows'),
    h('option', { value: 'light' }, 'Light: plain colours, fastest'),
  );
  select.value = graphicsSetting();
  select.addEventListener('change', () => saveGraphicsSetting(select.value as GraphicsSetting));
  return h(
    'div',
    { class: 'graphics-choice' },
    h('label', { for: 'graphics' }, 'Graphics'),
    select,
    h('p', { class: 'muted' }, 'Light is picked automatically where this browser draws 3D without a graphics card. Used from the next world you enter.'),
  );
}
