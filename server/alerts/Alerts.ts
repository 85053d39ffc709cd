/**
 * The alerts service: keeps the rules, evaluates them all after each analytics sample (one round at
 * a time, its rows read once per series), records what each alert does in the history before anyone
 * is told, and tells the log always and the rule's webhook (or ALERT_WEBHOOK_URL) unless silenced.
 * Changes made over REST and evaluation rounds take turns, so a round never writes the state of a
 * rule deleted under it.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, type AlertNotice } from '../../shared/protocol';
import type { AlertEvent, AlertEventKind, AlertStore } from '../adapters/storage/AlertStore';
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import { sortableTime } from '../adapters/storage/levelKeys';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { oneAtATime, serial } from '../serial';
import { newId } from '../worlds';
import { DEFAULT_RULES } from './defaults';
import { judge, readPlan } from './round';
import { commonFields, describeRule, issues, judgedAs, MAX_RULES, RuleInput, type AlertRule } from './rules';
import { acknowledge, isSilenced, okState, type AlertState, type Severity } from './transitions';
import type { WebhookDelivery } from './WebhookDelivery';
import type { ActiveAlert } from '../../shared/model/insights';

export interface AlertsOptions {
  store: AlertStore;
  rows: AnalyticsStore;
  delivery: WebhookDelivery;
  log: Logger;
  /** Where notifications go for rules that name no webhook. */
  defaultWebhookUrl?: string;
  /** Days history is kept; 0 for ever. */
  retentionDays: number;
  now?: () => number;
  /** Told of each notification (not while silenced, nor an escalation once acknowledged): administrators in worlds hear of it. */
  onNotice?(notice: AlertNotice): void;
}

/** Rows read per series in one round, at most: a day of minutes for a few dozen label sets. */
const MAX_ROWS = 50_000;
const PRUNE_BATCH = 1000;
const DAY_MS = 86_400_000;


const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class Alerts {
  private readonly now: () => number;
  private readonly turns = serial();
  private readonly round = oneAtATime(
    () => this.turns(() => this.evaluate()),
    (err) => this.o.log.error({ err }, 'alert rules could not be evaluated; trying again after the next sample'),
  );
  private readonly pruning = oneAtATime(
    () => this.prune(),
    (err) => this.o.log.error({ err }, 'old alert history could not be removed; trying again in an hour'),
  );
  private pruner: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(private readonly o: AlertsOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Writes the built-in rules on the very first start, takes up pending deliveries, prunes now and hourly. */
  async start(): Promise<void> {
    const at = new Date(this.now()).toISOString();
    if (await this.o.store.seedRules(DEFAULT_RULES.map((r) => ({ ...r, id: newId(), createdAt: at, updatedAt: at, silencedUntil: null })))) {
      this.o.log.info({ rules: DEFAULT_RULES.map((r) => r.name) }, 'built-in alert rules created');
    }
    await this.o.delivery.resume();
    this.pruning.start();
    this.pruner ??= setInterval(() => this.pruning.start(), 3_600_000).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruner);
    this.pruner = undefined;
    await Promise.all([this.round.settled(), this.pruning.settled()]);
    await this.o.delivery.stop();
  }

  /** Starts a round unless one is running (then this sample's rows are judged by the next). */
  evaluateInBackground(): void {
    this.round.start();
  }

  /** Evaluates every rule once now (waiting for a round in progress first). */
  async evaluateNow(): Promise<void> {
    await this.round.settled();
    await this.turns(() => this.evaluate());
  }

  private async evaluate(): Promise<void> {
    const now = this.now();
    const rules = await this.o.store.listRules();
    const states = new Map((await this.o.store.listStates()).map((s) => [s.ruleId, s]));
    const rows = new Map<string, RollupPoint[]>();
    for (const [series, from] of readPlan(rules, states, now)) {
      const read = await this.o.rows.readPoints({ resolution: 'minute', series, from, to: now + 60_000, limit: MAX_ROWS });
      if (read.length === MAX_ROWS) this.o.log.warn({ series }, 'more minute rows than one alert round reads; the newest were left out');
      rows.set(series, read);
    }
    const judged = judge(rules, states, rows, now, () => newId());
    const events: AlertEvent[] = [];
    for (const j of judged) {
      if (!j.change) continue;
      const alertId = j.change.kind === 'fired' ? j.state.alertId! : states.get(j.rule.id)!.alertId!;
      events.push(this.event(j.change.kind, j.rule, alertId, j.change.severity, j.change.value, j.change.notify, now));
    }
    await this.o.store.saveRound(judged.filter((j) => j.changed).map((j) => j.state), events);
    for (const e of events) this.announce(e);
  }

  /** A history entry; with a pending delivery when it is to be told and there is a webhook to tell. */
  private event(kind: AlertEventKind, rule: AlertRule, alertId: string, severity: Severity, value: number | null, notify: boolean, now: number, by?: string): AlertEvent {
    const url = rule.webhookUrl ?? this.o.defaultWebhookUrl;
    const shown = value === null ? '' : ` (now ${Number(value.toPrecision(4))})`;
    const what = kind === 'acked' ? `acknowledged by ${by}` : kind;
    return {
      // sorts by time, then by order made within a millisecond
      id: `${sortableTime(now)}${(this.seq++ % 1e6).toString().padStart(6, '0')}${randomBytes(3).toString('hex')}`,
      at: new Date(now).toISOString(),
      kind,
      alertId,
      ruleId: rule.id,
      ruleName: rule.name,
      severity,
      value,
      message: `[${severity}] ${rule.name} ${what}: ${describeRule(rule)}${shown}`,
      notified: notify,
      ...(by ? { by } : {}),
      ...(notify && url && kind !== 'acked' ? { delivery: { url, state: 'pending' as const, attempts: 0 } } : {}),
    };
  }

  /** The log always; the webhook when the entry has a delivery. */
  private announce(e: AlertEvent): void {
    const fields = { alertId: e.alertId, ruleId: e.ruleId, severity: e.severity, value: e.value, notified: e.notified };
    if (e.kind === 'resolved' || e.kind === 'acked') this.o.log.info(fields, e.message);
    else if (e.severity === 'critical') this.o.log.error(fields, e.message);
    else this.o.log.warn(fields, e.message);
    if (e.delivery) this.o.delivery.send(e);
    if (e.notified && e.kind !== 'acked') this.o.onNotice?.({ kind: e.kind, severity: e.severity, message: e.message });
  }

  listRules(): Promise<AlertRule[]> {
    return this.o.store.listRules();
  }

  async createRule(body: unknown): Promise<AlertRule> {
    const input = parseRule(body);
    return await this.turns(async () => {
      if ((await this.o.store.listRules()).length >= MAX_RULES) throw new AppError(ErrorCode.CONFLICT, `There are already ${MAX_RULES} alert rules, the most kept; delete one first.`, 409);
      const at = new Date(this.now()).toISOString();
      const rule: AlertRule = { ...input, id: newId(), createdAt: at, updatedAt: at, silencedUntil: null };
      await this.o.store.putRule(rule);
      return rule;
    });
  }

  /**
   * Changes some of a rule's fields. A change of kind keeps only the fields both kinds have; a change
   * to what the rule judges starts its state (and what it learned) afresh.
   */
  updateRule(id: string, patch: Record<string, unknown>): Promise<AlertRule> {
    return this.turns(async () => {
      const rule = await this.rule(id);
      const { id: _id, createdAt, updatedAt: _u, silencedUntil, ...fields } = rule;
      const base = patch.kind !== undefined && patch.kind !== rule.kind ? commonFields(rule) : fields;
      const next: AlertRule = { ...parseRule({ ...base, ...patch }), id, createdAt, silencedUntil, updatedAt: new Date(this.now()).toISOString() };
      await this.o.store.putRule(next);
      if (judgedAs(next) !== judgedAs(rule)) await this.restart(rule, 'the rule was changed');
      return next;
    });
  }

  deleteRule(id: string): Promise<void> {
    return this.turns(async () => {
      const rule = await this.rule(id);
      await this.restart(rule, 'the rule was deleted');
      await this.o.store.deleteRule(id);
    });
  }

  /** No notifications from the rule for `minutes` from now (0 lifts a silence). */
  silence(id: string, minutes: number): Promise<AlertRule> {
    return this.turns(async () => {
      const rule = await this.rule(id);
      const next = { ...rule, silencedUntil: minutes > 0 ? this.now() + minutes * 60_000 : null };
      await this.o.store.putRule(next);
      return next;
    });
  }

  acknowledge(alertId: string, by: string): Promise<ActiveAlert> {
    return this.turns(async () => {
      const state = (await this.o.store.listStates()).find((s) => s.alertId === alertId);
      const rule = state && (await this.o.store.listRules()).find((r) => r.id === state.ruleId);
      if (!state || !rule) throw new AppError(ErrorCode.NOT_FOUND, `There is no firing alert "${alertId.slice(0, 40)}"; GET /api/v3/alerts/active lists them.`, 404);
      const now = this.now();
      const acked = acknowledge(state, alertId, by, now);
      if (acked.outcome === 'acknowledged') {
        const e = this.event('acked', rule, alertId, state.severity ?? 'warning', state.value, false, now, by);
        await this.o.store.saveRound([acked.state], [e]);
        this.announce(e);
      }
      return activeAlert(acked.state, rule, now);
    });
  }

  async active(): Promise<ActiveAlert[]> {
    const rules = new Map((await this.o.store.listRules()).map((r) => [r.id, r]));
    const now = this.now();
    return (await this.o.store.listStates())
      .filter((s) => s.status === 'firing' && rules.has(s.ruleId))
      .map((s) => activeAlert(s, rules.get(s.ruleId)!, now))
      .sort((a, b) => b.since.localeCompare(a.since));
  }

  history(limit: number): Promise<AlertEvent[]> {
    return this.o.store.recentEvents(limit);
  }

  /** A rule's state starts afresh; an alert it had firing is closed in the history, telling no one. */
  private async restart(rule: AlertRule, why: string): Promise<void> {
    const state = (await this.o.store.listStates()).find((s) => s.ruleId === rule.id);
    const events = state?.status === 'firing' ? [{ ...this.event('resolved', rule, state.alertId!, state.severity ?? 'warning', state.value, false, this.now()), message: `[${state.severity}] ${rule.name} closed: ${why}` }] : [];
    await this.o.store.saveRound([okState(rule.id)], events);
  }

  private async rule(id: string): Promise<AlertRule> {
    const rule = (await this.o.store.listRules()).find((r) => r.id === id);
    if (!rule) throw new AppError(ErrorCode.NOT_FOUND, `There is no alert rule "${id.slice(0, 40)}"; GET /api/v3/alerts/rules lists them.`, 404);
    return rule;
  }

  /** Removes history older than the retention, in bounded batches; how many went. */
  async prune(): Promise<number> {
    if (!this.o.retentionDays) return 0;
    const before = new Date(this.now() - this.o.retentionDays * DAY_MS).toISOString();
    let total = 0;
    for (let n = PRUNE_BATCH; n === PRUNE_BATCH; total += n) n = await this.o.store.pruneEvents(before, PRUNE_BATCH);
    if (total) this.o.log.info({ pruned: total }, 'old alert history removed');
    return total;
  }

}

function parseRule(body: unknown) {
  const parsed = RuleInput.safeParse(body);
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Not a valid alert rule: ${issues(parsed.error)}`, 400);
  return parsed.data;
}

function activeAlert(s: AlertState, rule: AlertRule, now: number): ActiveAlert {
  return {
    alertId: s.alertId!,
    ruleId: rule.id,
    ruleName: rule.name,
    severity: s.severity ?? 'warning',
    since: iso(s.since)!,
    value: s.value,
    ackedBy: s.ackedBy,
    ackedAt: iso(s.ackedAt),
    silencedUntil: isSilenced(rule, now) ? iso(rule.silencedUntil) : null,
    message: `${rule.name}: ${describeRule(rule)}`,
  };
}
