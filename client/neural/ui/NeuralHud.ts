/**
 * The 2D HUD of the neural channel: each command as it is recognised (with how sure, and what the
 * policy made of it), and each command that was sent with the server's answer. People see what
 * the system saw, and why a gesture did or did not count.
 */
import { h, replaceChildren } from '../../ui/kit/dom';
import type { ChannelEvent } from '../NeuralChannel';
import type { Verdict } from '../policy';
import { SentLog } from './sentLog';

/** How long a recognised command stays on show after its last reading. */
const SEEN_MS = 1500;

export interface HudLine {
  key: string;
  text: string;
  /** `idle`: a neutral note (nothing waits for a command), not an answer to one. */
  state: 'below' | 'holding' | 'sent' | 'debounced' | 'accepted' | 'refused' | 'waiting' | 'idle';
}

export function describeVerdict(v: Verdict): string {
  switch (v.type) {
    case 'below':
      return `below ${v.threshold.toFixed(2)}`;
    case 'holding':
      return `holding ${(v.heldMs / 1000).toFixed(1)} s`;
    case 'fire':
      return 'sent';
    case 'debounced':
      return `sent recently (${(v.waitMs / 1000).toFixed(1)} s)`;
    default: {
      const unreachable: never = v;
      return String(unreachable);
    }
  }
}

export class NeuralHud {
  readonly element = h('div', { class: 'neural-hud', 'data-testid': 'neural-hud', 'aria-live': 'polite', hidden: true });
  private readonly seenList = h('ul', { class: 'neural-seen', 'data-testid': 'neural-seen' });
  private readonly sentList = h('ul', { class: 'neural-sent', 'data-testid': 'neural-sent' });
  private readonly seen = new Map<string, { line: HudLine; until: number }>();
  private readonly sent = new SentLog();
  private readonly listeners = new Set<(lines: HudLine[]) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.element.append(this.seenList, this.sentList);
  }

  setVisible(on: boolean): void {
    this.element.hidden = !on;
    if (on && !this.timer) this.timer = setInterval(() => this.expire(), 500);
    if (!on && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Every reading of the channel, with its verdict. */
  show(event: ChannelEvent): void {
    const { reading, verdict } = event;
    const key = `${reading.source}:${reading.command}`;
    const state: HudLine['state'] = verdict.type === 'fire' ? 'sent' : verdict.type;
    const text = `${reading.command} ${Math.round(reading.confidence * 100)}% · ${reading.source} · ${describeVerdict(verdict)}`;
    this.seen.set(key, { line: { key, text, state }, until: performance.now() + SEEN_MS });
    if (event.sent) this.sent.sent(`${key}:${reading.at}`, `${reading.command} sent (${reading.source})`);
    this.render();
  }

  /** The server's answer to a sent command that has none yet (see SentLog for `nothingWaits`). */
  answer(accepted: boolean, message: string, nothingWaits = false): void {
    this.sent.answer(accepted, message, nothingWaits);
    this.render();
  }

  /** Lines as shown, for the XR HUD that mirrors this one. */
  lines(): HudLine[] {
    return [...[...this.seen.values()].map((s) => s.line), ...this.sent.shown()];
  }

  onChange(listener: (lines: HudLine[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.setVisible(false);
    this.listeners.clear();
  }

  private expire(): void {
    const now = performance.now();
    let changed = false;
    for (const [key, s] of this.seen) {
      if (s.until < now) {
        this.seen.delete(key);
        changed = true;
      }
    }
    if (changed) this.render();
  }

  private render(): void {
    const li = (l: HudLine) => h('li', { 'data-state': l.state, 'data-key': l.key }, l.text);
    replaceChildren(this.seenList, ...[...this.seen.values()].map((s) => li(s.line)));
    replaceChildren(this.sentList, ...this.sent.shown().map(li));
    const lines = this.lines();
    for (const l of this.listeners) l(lines);
  }
}
