/**
 * What the realtime benchmark runs: crowds of bots against our server and the three baselines, and
 * the scenarios only our server has (documents dragged, a burst of joins, workflow runs mixed in,
 * one client flooding the world while the others carry on).
 */
import type { TargetKind } from './bots';

export type ScenarioKind = 'crowd' | 'drag' | 'joins' | 'workflow' | 'flood' | 'metrics';

export interface Scenario {
  name: string;
  kind: ScenarioKind;
  target: TargetKind;
  /** A label for what the target was set to (e.g. interest management on or off). */
  variant?: string;
  bots: number;
  docs?: number;
  joinSpreadMs: number;
  /** Extra environment for our server. */
  env?: Record<string, string>;
}

export interface Plan {
  warmupMs: number;
  measureMs: number;
  sendHz: number;
  dragHz: number;
  tickHz: number;
  decoders: number;
  workers: number;
  scenarios: Scenario[];
}

export interface PlanOptions {
  quick: boolean;
  crowd?: number[];
  /** Only these targets. */
  targets?: TargetKind[];
  /** Only these scenario kinds. */
  kinds?: ScenarioKind[];
  warmupMs?: number;
  measureMs?: number;
}

/**
 * Largest crowd each baseline is run at. A relay sends N² messages a second; past these sizes the
 * generator (one core here) could not read what they send, and the figure would measure the
 * generator instead of the server.
 */
export const BASELINE_MAX: Record<TargetKind, number> = { ours: Infinity, colyseus: 200, ws: 200, socketio: 100 };
/** Largest crowd our server is also run at with interest management off (everyone full rate): N² as well. */
export const EVERYONE_MAX = 200;

/** Our server with interest management off: everyone gets everyone at full rate. */
const EVERYONE = { INTEREST_NEAREST: '0' };

export function plan(opts: PlanOptions): Plan {
  const crowd = opts.crowd ?? (opts.quick ? [20, 50] : [50, 100, 200, 500, 1000]);
  const targets: TargetKind[] = opts.targets ?? ['ours', 'colyseus', 'ws', 'socketio'];
  const kinds = new Set<ScenarioKind>(opts.kinds ?? ['crowd', 'drag', 'joins', 'workflow', 'flood', 'metrics']);
  const spread = (n: number) => Math.max(1000, n * 10);
  const scenarios: Scenario[] = [];
  if (kinds.has('crowd')) {
    for (const n of crowd) {
      for (const target of targets) {
        if (n > BASELINE_MAX[target]) continue;
        if (target === 'ours') {
          scenarios.push({ name: `crowd ${n}`, kind: 'crowd', target, variant: 'interest', bots: n, joinSpreadMs: spread(n) });
          if (n <= EVERYONE_MAX) scenarios.push({ name: `crowd ${n}`, kind: 'crowd', target, variant: 'everyone', bots: n, joinSpreadMs: spread(n), env: EVERYONE });
        } else scenarios.push({ name: `crowd ${n}`, kind: 'crowd', target, bots: n, joinSpreadMs: spread(n) });
      }
    }
  }
  const has = (t: TargetKind) => targets.includes(t);
  const watchers = opts.quick ? 20 : 50;
  if (kinds.has('drag') && has('ours')) {
    const docs = opts.quick ? 5 : 20;
    scenarios.push({ name: `drag ${docs} docs`, kind: 'drag', target: 'ours', bots: watchers + docs, docs, joinSpreadMs: 1000 });
  }
  if (kinds.has('joins')) {
    const n = opts.quick ? 20 : 50;
    for (const target of ['ours', 'colyseus'] as const) if (has(target)) scenarios.push({ name: `${n} joins in 1 s`, kind: 'joins', target, bots: n, joinSpreadMs: 1000 });
  }
  if (kinds.has('workflow') && has('ours')) {
    const n = opts.quick ? 20 : 100;
    scenarios.push({ name: `crowd ${n} + workflow runs`, kind: 'workflow', target: 'ours', bots: n, joinSpreadMs: spread(n) });
  }
  if (kinds.has('flood') && has('ours')) {
    // the same crowd as a plain crowd run, so the two pose latencies can be set side by side
    const n = opts.quick ? 20 : 100;
    scenarios.push({ name: `crowd ${n} + a flooding client`, kind: 'flood', target: 'ours', bots: n, joinSpreadMs: spread(n) });
  }
  if (kinds.has('metrics') && has('ours')) {
    // the same crowd with the per-request and per-intent counting on (the default) and off, taking
    // turns so that a machine busy for a while weighs on both alike; the report sets their means side by side
    const n = opts.quick ? 50 : 200;
    for (let round = 0; round < (opts.quick ? 1 : 2); round++) {
      for (const variant of ['metrics on', 'metrics off'] as const) {
        scenarios.push({ name: `crowd ${n}`, kind: 'metrics', target: 'ours', variant, bots: n, joinSpreadMs: spread(n), env: { METRICS: variant === 'metrics on' ? 'on' : 'off' } });
      }
    }
  }
  return {
    warmupMs: opts.warmupMs ?? (opts.quick ? 1500 : 3000),
    measureMs: opts.measureMs ?? (opts.quick ? 3000 : 8000),
    sendHz: 30,
    dragHz: 60,
    tickHz: 20,
    decoders: opts.quick ? 3 : 5,
    workers: 2,
    scenarios,
  };
}
