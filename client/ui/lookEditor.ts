/**
 * The look editor, the same in the lobby and in a world: colour swatches for shirt, skin and hair,
 * option buttons for hair, headwear and glasses, and a drawing of the result. Every change is
 * handed to `changed` at once; the caller keeps it and tells the world.
 */
import type { AvatarLook } from '../../shared/protocol';
import { GLASSES, HAIR_PALETTE, HAIR_STYLES, HEADWEAR, SHIRT_PALETTE, SKIN_PALETTE } from '../../shared/model/avatarLook';
import { h } from './kit/dom';
import { drawLook } from './lookPreview';

type ColourPart = 'body' | 'skin' | 'hairColour';
type OptionPart = 'hair' | 'headwear' | 'glasses';

const COLOUR_ROWS: ReadonlyArray<[ColourPart, string, readonly string[]]> = [
  ['body', 'Shirt', SHIRT_PALETTE],
  ['skin', 'Skin', SKIN_PALETTE],
  ['hairColour', 'Hair colour', HAIR_PALETTE],
];
const OPTION_ROWS: ReadonlyArray<[OptionPart, string, readonly string[]]> = [
  ['hair', 'Hair', HAIR_STYLES],
  ['headwear', 'Headwear', HEADWEAR],
  ['glasses', 'Glasses', GLASSES],
];

const words: Record<string, string> = { none: 'None', short: 'Short', long: 'Long', curly: 'Curly', bun: 'Bun', cap: 'Cap', beanie: 'Beanie', headphones: 'Headphones', round: 'Round', square: 'Square', shades: 'Shades' };

export interface LookEditor {
  element: HTMLElement;
  /** Shows `look` (e.g. loaded from the account) without calling `changed`. */
  show(look: AvatarLook): void;
}

export function lookEditor(initial: AvatarLook, changed: (look: AvatarLook) => void): LookEditor {
  let look = initial;
  const preview = h('canvas', { class: 'look-preview', width: '200', height: '240', 'data-testid': 'look-preview', role: 'img', 'aria-label': 'How you look' });
  const pressed: Array<{ button: HTMLButtonElement; on: () => boolean }> = [];
  const render = () => {
    drawLook(preview, look);
    for (const p of pressed) p.button.setAttribute('aria-pressed', String(p.on()));
  };
  const set = (next: AvatarLook) => {
    look = next;
    render();
    changed(look);
  };

  const rows: HTMLElement[] = [];
  for (const [part, label, palette] of COLOUR_ROWS) {
    // the shirt row also offers the current shirt colour when it is off the palette (a person's own colour)
    const colours = part === 'body' && !palette.includes(initial.body) ? [initial.body, ...palette] : palette;
    const swatches = colours.map((c) => {
      const b = h('button', { type: 'button', class: 'swatch', 'aria-label': `${label} ${c}`, 'data-testid': `look-${part}-${c.slice(1)}` });
      b.style.background = c;
      b.addEventListener('click', () => set({ ...look, [part]: c }));
      pressed.push({ button: b, on: () => look[part] === c });
      return b;
    });
    rows.push(h('div', { class: 'look-row' }, h('span', { class: 'look-label' }, label), h('div', { class: 'swatches' }, ...swatches)));
  }
  for (const [part, label, options] of OPTION_ROWS) {
    const buttons = options.map((o) => {
      const b = h('button', { type: 'button', class: 'look-option', 'data-testid': `look-${part}-${o}` }, words[o] ?? o);
      b.addEventListener('click', () => set({ ...look, [part]: o } as AvatarLook));
      pressed.push({ button: b, on: () => look[part] === o });
      return b;
    });
    rows.push(h('div', { class: 'look-row' }, h('span', { class: 'look-label' }, label), h('div', { class: 'look-options', role: 'group', 'aria-label': label }, ...buttons)));
  }
  const element = h('div', { class: 'look-editor', 'data-testid': 'look-editor' }, preview, h('div', { class: 'look-rows' }, ...rows));
  render();
  return {
    element,
    show(next) {
      look = next;
      render();
    },
  };
}

let closeOpen: (() => void) | null = null;

/** Opens the look editor as a dialog (Escape or Done closes it); `changed` hears every change. */
export function openLookDialog(initial: AvatarLook, changed: (look: AvatarLook) => void): void {
  closeOpen?.();
  const editor = lookEditor(initial, changed);
  const done = h('button', { type: 'button', 'data-testid': 'look-done' }, 'Done');
  const dialog = h('div', { class: 'look-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Your look', 'data-testid': 'look-dialog' }, h('h2', {}, 'Your look'), editor.element, h('div', { class: 'row' }, done));
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
  };
  const close = () => {
    dialog.remove();
    document.removeEventListener('keydown', onKey, true);
    closeOpen = null;
  };
  done.addEventListener('click', close);
  document.addEventListener('keydown', onKey, true);
  document.body.append(dialog);
  closeOpen = close;
  done.focus();
}
