/**
 * Panels that open from buttons in the same corner (Members, Stats) take the same place: opening
 * one closes the others, so none is drawn over another.
 */
const OPENED = 'dwc-corner-panel-opened';

/** `close` runs whenever another such panel opens; call `opened` when this one does. */
export function oneOpenAtATime(close: () => void): { opened(): void; dispose(): void } {
  const me = Symbol('panel');
  const listener = (e: Event) => {
    if ((e as CustomEvent<symbol>).detail !== me) close();
  };
  document.addEventListener(OPENED, listener);
  return {
    opened: () => document.dispatchEvent(new CustomEvent(OPENED, { detail: me })),
    dispose: () => document.removeEventListener(OPENED, listener),
  };
}

/**
 * Wires a corner panel to its button: a press opens or closes it (saying so to screen readers),
 * opening runs `onOpen` and closes the other corner panels. `close` is for when it must go.
 */
export function cornerPanel(toggle: HTMLElement, panel: HTMLElement, onOpen: () => void): { close(): void; dispose(): void } {
  const close = () => {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  const corner = oneOpenAtATime(close);
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    if (panel.hidden) return;
    corner.opened();
    onOpen();
  });
  return { close, dispose: () => corner.dispose() };
}
