/**
 * Delivers alert notifications to webhooks, each once: the notification is already in the history
 * (with a pending delivery) when this starts, it is POSTed with its id as the idempotency key, and
 * each attempt's outcome is written back before the next, so neither a retry nor a restart makes a
 * new notification — at worst the same one again, with the same key, after a crash mid-POST.
 * Network failures, timeouts, 408, 425, 429 and 5xx are retried with a doubling backoff up to
 * `attempts`; any other answer, or a destination the egress policy refuses, fails it at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertEvent, AlertStore } from '../adapters/storage/AlertStore';
import type { Logger } from '../log';
import { EgressRefused } from '../workflows/net/egress';

export interface WebhookDeliveryOptions {
  /** A fetch confined to what the egress policy allows (WEBHOOK_ALLOW). */
  fetch: typeof fetch;
  store: Pick<AlertStore, 'putEvent' | 'pendingDeliveries'>;
  log: Logger;
  attempts?: number;
  /** The wait after a failed attempt (1-based). */
  backoffMs?: (attempt: number) => number;
  timeoutMs?: number;
}

const RETRYABLE = new Set([408, 425, 429]);
/** Deliveries resumed at start, at most: older ones stay pending in the history. */
const RESUME_LIMIT = 100;

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

/** What a receiver gets: the history entry, without its delivery bookkeeping. */
export function payload(e: AlertEvent) {
  return { id: e.id, kind: e.kind, alertId: e.alertId, severity: e.severity, rule: { id: e.ruleId, name: e.ruleName }, value: e.value, message: e.message, at: e.at };
}

export class WebhookDelivery {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly attempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly timeoutMs: number;

  constructor(private readonly o: WebhookDeliveryOptions) {
    this.attempts = o.attempts ?? 6;
    this.backoffMs = o.backoffMs ?? ((n) => Math.min(60_000, 1000 * 2 ** (n - 1)));
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** Starts delivering a pending entry in the background; one delivery per entry at a time. */
  send(event: AlertEvent): void {
    if (event.delivery?.state !== 'pending' || this.inFlight.has(event.id) || this.stopping.signal.aborted) return;
    const done = this.deliver(event)
      .catch((err: unknown) => this.o.log.error({ err, eventId: event.id }, 'an alert notification could not be delivered; it stays pending until the next start'))
      .finally(() => this.inFlight.delete(event.id));
    this.inFlight.set(event.id, done);
  }

  /** Takes up the deliveries an earlier run left pending. */
  async resume(): Promise<void> {
    for (const e of await this.o.store.pendingDeliveries(RESUME_LIMIT)) this.send(e);
  }

  /** Stops retrying and waits for attempts in flight; what is left stays pending for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.inFlight.values());
  }

  /** Settles once nothing is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight.values());
  }

  private async deliver(first: AlertEvent): Promise<void> {
    let e = first;
    for (;;) {
      const d = e.delivery!;
      const attempt = d.attempts + 1;
      const outcome = await this.post(e);
      // stopped mid-POST: whether it arrived is unknown, so it stays pending and goes again, same key
      if (this.stopping.signal.aborted) return;
      const state = outcome.ok ? 'delivered' : !outcome.retry || attempt >= this.attempts ? 'failed' : 'pending';
      e = {
        ...e,
        delivery: { url: d.url, state, attempts: attempt, ...(outcome.ok ? { deliveredAt: new Date().toISOString() } : { lastError: outcome.error }) },
      };
      await this.o.store.putEvent(e);
      const host = new URL(d.url).host;
      if (state === 'delivered') return this.o.log.info({ eventId: e.id, host, attempts: attempt }, 'alert notification delivered');
      if (state === 'failed') return this.o.log.error({ eventId: e.id, host, attempts: attempt, error: e.delivery!.lastError }, 'alert notification not delivered; giving up');
      this.o.log.warn({ eventId: e.id, host, attempt, error: e.delivery!.lastError }, 'alert notification not delivered yet; trying again');
      const slept = await sleep(this.backoffMs(attempt), true, { signal: this.stopping.signal }).catch(() => false);
      if (!slept) return;
    }
  }

  private async post(e: AlertEvent): Promise<Outcome> {
    const url = e.delivery!.url;
    try {
      const res = await this.o.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': e.id },
        body: JSON.stringify(payload(e)),
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true };
      return { ok: false, retry: res.status >= 500 || RETRYABLE.has(res.status), error: `the receiver answered ${res.status}` };
    } catch (err) {
      if (err instanceof EgressRefused) return { ok: false, retry: false, error: `will not send there: ${err.message}` };
      const timedOut = (err as Error).name === 'TimeoutError';
      return { ok: false, retry: true, error: timedOut ? `no answer within ${this.timeoutMs} ms` : `could not reach it: ${(err as Error).message}` };
    }
  }
}
