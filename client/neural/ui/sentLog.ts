/**
 * The commands a person's channel sent and what the server said to each. Pure, so the HUD's
 * wording can be tested: when nothing in the world waits for a command, that is not an error and
 * is said once, quietly, instead of a red refusal every time the same focus is held again.
 */
import type { HudLine } from './NeuralHud';

const MAX_SENT = 4;

export const NOTHING_WAITING = 'Nothing in this world is waiting for a command right now, so your commands are only shown here.';

export class SentLog {
  private lines: HudLine[] = [];
  /** The quiet line about why commands go nowhere, while that is so. */
  private idle: HudLine | null = null;

  /** A command just went to the server. */
  sent(key: string, text: string): void {
    const line: HudLine = { key, text, state: 'waiting' };
    this.lines = [line, ...this.lines].slice(0, MAX_SENT);
  }

  /**
   * The server's answer to the oldest command still without one. `nothingWaits` marks the refusal
   * that only means no run waits for a command: its line goes, and the quiet note stays.
   */
  answer(accepted: boolean, message: string, nothingWaits = false): void {
    const line = [...this.lines].reverse().find((l) => l.state === 'waiting');
    if (!line) return;
    if (nothingWaits) {
      this.lines = this.lines.filter((l) => l !== line);
      this.idle ??= { key: 'nothing-waiting', text: NOTHING_WAITING, state: 'idle' };
      return;
    }
    this.idle = null;
    line.state = accepted ? 'accepted' : 'refused';
    line.text = `${line.text.replace(/ sent .*$/, '')} — ${message}`;
  }

  /** Newest first, the quiet note (if any) above them. */
  shown(): HudLine[] {
    return this.idle ? [this.idle, ...this.lines] : [...this.lines];
  }
}
