/**
 * Short messages at the bottom of the screen that go away by themselves. A message already showing
 * is not stacked again: it stays one toast and its time starts over.
 */
import { h } from './dom';

export const TOAST_MS = 3500;

export type ToastKind = 'info' | 'error';

let container: HTMLElement | null = null;
const listeners = new Set<(message: string, kind: ToastKind, key: string) => void>();

/** Called with every toast as it is shown (the headset shows them in the world too). */
export function onToast(listener: (message: string, kind: ToastKind, key: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const showing = new Map<string, { el: HTMLElement; timer: ReturnType<typeof setTimeout> }>();

/** `key` names what the toast is about (default: its text); a newer toast with the same key replaces it. */
export function toast(message: string, kind: ToastKind = 'info', key = message): void {
  if (!container || !container.isConnected) {
    container = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(container);
    showing.clear();
  }
  const current = showing.get(key);
  if (current) {
    clearTimeout(current.timer);
    current.el.className = `toast toast-${kind}`;
    current.el.textContent = message;
  }
  const el = current?.el ?? container.appendChild(h('div', { class: `toast toast-${kind}`, 'data-testid': 'toast' }, message));
  const timer = setTimeout(() => {
    el.remove();
    if (showing.get(key)?.el === el) showing.delete(key);
  }, TOAST_MS);
  showing.set(key, { el, timer });
  for (const listener of listeners) listener(message, kind, key);
}
