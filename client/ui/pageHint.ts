/**
 * The one-line hint under the world view, in the words of the device in hand: keys and a mouse on a
 * computer, fingers on a phone or tablet (a headset never shows the page; its hints are in the
 * Welcome document and the in-world menu).
 */
export type PointerKind = 'mouse' | 'touch';

export function pageHint(kind: PointerKind): string {
  return kind === 'touch'
    ? 'Drag with one finger to look and walk · drag a panel to move it · tap a page’s arrows to turn it · Enter AR to put the workspace on a table'
    : 'WASD to walk · drag to look · drag a panel to move it (Q/E turn, wheel resize) · double-click a panel to read it · PageUp/PageDown turn pages';
}

/** Touch only: a coarse pointer and no fine one anywhere (a laptop with a touch screen keeps the mouse hint). */
export function pointerKind(matches: (query: string) => boolean): PointerKind {
  return matches('(pointer: coarse)') && !matches('(any-pointer: fine)') ? 'touch' : 'mouse';
}
