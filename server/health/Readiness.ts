/**
 * Whether the server can do its work now: each dependency it was configured with is asked a cheap
 * question (write and read back a key in the store, the chain's latest block, each AI provider's
 * model list), all at once, each within a time limit. `GET /api/v3/health/ready` answers from it,
 * per dependency with its latency, for a load balancer or an orchestrator: 503 when one the server
 * cannot work without fails (the store, the default chain); `degraded` with 200 when only one it can
 * do without fails (another network, an AI provider the analysis falls back from).
 *
 * Anyone may ask (a probe sends no credentials), so asking must cost little whoever floods it: one
 * round of checks runs at a time, and its answer is reused for a few seconds. The answer names each
 * dependency and says why it failed in a word (timeout, unreachable, failed); the reason in full,
 * which may name hosts and addresses, goes to the log, once each time a dependency changes state.
 */
import type { Logger } from '../log';

export interface DependencyCheck {
  /** What the check is about, e.g. "store", "chain:embedded", "ai:openai". */
  name: string;
  /** Whether the server is not ready without it (else it is degraded). */
  required: boolean;
  /** Resolves when the dependency answered as it should; rejects with why not. */
  check(signal: AbortSignal): Promise<void>;
}

export interface DependencyStatus {
  name: string;
  required: boolean;
  ok: boolean;
  latencyMs: number;
  /** When not ok: `timeout`, `unreachable` or `failed`. */
  error?: 'timeout' | 'unreachable' | 'failed';
}

export interface ReadinessReport {
  /** `shutting down`: this process is stopping; a load balancer sends its requests elsewhere. */
  status: 'ready' | 'degraded' | 'not ready' | 'shutting down';
  ready: boolean;
  checkedAt: string;
  dependencies: DependencyStatus[];
}

export interface ReadinessOptions {
  checks: readonly DependencyCheck[];
  log: Logger;
  /** How long one dependency may take to answer. */
  timeoutMs?: number;
  /** How long an answer is reused. */
  reuseMs?: number;
  now?: () => number;
}

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ENETUNREACH|EAI_AGAIN|socket hang up|UNREACHABLE|Connection error|fetch failed/i;

class Timeout extends Error {}

export class Readiness {
  private readonly timeoutMs: number;
  private readonly reuseMs: number;
  private readonly now: () => number;
  private last: { at: number; report: ReadinessReport } | null = null;
  private running: Promise<ReadinessReport> | null = null;
  /** Each dependency's state as last logged. */
  private readonly logged = new Map<string, boolean>();

  constructor(private readonly o: ReadinessOptions) {
    this.timeoutMs = o.timeoutMs ?? 3000;
    this.reuseMs = o.reuseMs ?? 5000;
    this.now = o.now ?? Date.now;
  }

  private draining = false;

  /** From now on the answer is 503 `shutting down`, so that load balancers stop sending work here. */
  drain(): void {
    this.draining = true;
  }

  /** The latest answer, checked again when older than the reuse time. */
  async report(): Promise<ReadinessReport> {
    if (this.draining) return { status: 'shutting down', ready: false, checkedAt: new Date(this.now()).toISOString(), dependencies: [] };
    if (this.last && this.now() - this.last.at < this.reuseMs) return this.last.report;
    if (!this.running) {
      this.running = this.checkAll().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async checkAll(): Promise<ReadinessReport> {
    const dependencies = await Promise.all(this.o.checks.map((c) => this.checkOne(c)));
    const ready = dependencies.every((d) => d.ok || !d.required);
    const status = !ready ? 'not ready' : dependencies.every((d) => d.ok) ? 'ready' : 'degraded';
    const report: ReadinessReport = { status, ready, checkedAt: new Date(this.now()).toISOString(), dependencies };
    this.last = { at: this.now(), report };
    return report;
  }

  private async checkOne(c: DependencyCheck): Promise<DependencyStatus> {
    const started = performance.now();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Timeout(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    let status: DependencyStatus;
    try {
      // a check that ignores the signal is still left behind at the limit; its late result is dropped
      await Promise.race([c.check(abort.signal), limit]);
      status = { name: c.name, required: c.required, ok: true, latencyMs: Math.round(performance.now() - started) };
      this.changed(c.name, true);
    } catch (err) {
      const error = err instanceof Timeout ? 'timeout' : UNREACHABLE.test(describe(err)) ? 'unreachable' : 'failed';
      status = { name: c.name, required: c.required, ok: false, latencyMs: Math.round(performance.now() - started), error };
      this.changed(c.name, false, err);
    } finally {
      clearTimeout(timer);
    }
    return status;
  }

  private changed(name: string, ok: boolean, err?: unknown): void {
    if (this.logged.get(name) === ok) return;
    const before = this.logged.get(name);
    this.logged.set(name, ok);
    if (!ok) this.o.log.warn({ dependency: name, reason: describe(err) }, 'a dependency is not ready');
    else if (before === false) this.o.log.info({ dependency: name }, 'a dependency is ready again');
  }
}

/** An error's message with its causes, for the log and for telling unreachable from failed. */
function describe(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof Error) {
      parts.push(`${(e as { code?: string }).code ?? ''} ${e.message}`.trim());
      e = (e as { cause?: unknown }).cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(' ← ');
}
