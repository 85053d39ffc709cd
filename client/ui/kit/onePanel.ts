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
