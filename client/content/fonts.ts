/** Font stacks used on canvases; system fonts only, so nothing is ever fetched for text. */
import type { Font } from './textLayout';

export const SANS = 'system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';
export const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

/** The canvas `font` string for a layout font at a size in canvas pixels. */
export function cssFont(font: Font, size = font.size): string {
  return `${font.italic ? 'italic ' : ''}${font.bold ? 'bold ' : ''}${size}px ${font.mono ? MONO : SANS}`;
}
