/** Short messages at the bottom of the screen that go away by themselves. */
import { h } from './dom';

const TOAST_MS = 3500;

export type ToastKind = 'info' | 'error';

let container: HTMLElement | null = null;

export function toast(message: string, kind: ToastKind = 'info'): void {
  if (!container || !container.isConnected) {
    container = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(container);
  }
  const el = h('div', { class: `toast toast-${kind}` }, message);
  container.append(el);
  setTimeout(() => el.remove(), TOAST_MS);
}
