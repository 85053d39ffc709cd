/**
 * Alerts in the embedded LevelDB. History entries are keyed by their time-sorted id, so the newest
 * are a reverse scan and the oldest a forward one; a pending delivery is also indexed on its own,
 * in the same batch, so resuming deliveries never scans the history.
 */
import type { ClassicLevel } from 'classic-level';
import type { AlertRule } from '../../alerts/rules';
import type { AlertState } from '../../alerts/transitions';
import type { AlertEvent, AlertStore } from './AlertStore';
import { SEP } from './levelKeys';

const RULE = `alertrule${SEP}`;
const STATE = `alertstate${SEP}`;
const EVENT = `alertevent${SEP}`;
const PENDING = `alertpending${SEP}`;
const SEEDED = `alertseeded`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

type Op = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

function eventOps(e: AlertEvent): Op[] {
  const pending = e.delivery?.state === 'pending';
  return [{ type: 'put', key: EVENT + e.id, value: e }, pending ? { type: 'put', key: PENDING + e.id, value: e.id } : { type: 'del', key: PENDING + e.id }];
}

export class LevelAlertStore implements AlertStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async listRules(): Promise<AlertRule[]> {
    return (await this.db.values(range(RULE)).all()) as AlertRule[];
  }

  async putRule(rule: AlertRule): Promise<void> {
    await this.db.put(RULE + rule.id, rule, SYNC);
  }

  async deleteRule(id: string): Promise<boolean> {
    if ((await this.db.get(RULE + id)) === undefined) return false;
    await this.db.batch([{ type: 'del', key: RULE + id }, { type: 'del', key: STATE + id }], SYNC);
    return true;
  }

  async seedRules(rules: readonly AlertRule[]): Promise<boolean> {
    // one caller (the server at start), so reading the mark and writing it back races with no one
    if ((await this.db.get(SEEDED)) !== undefined) return false;
    await this.db.batch([...rules.map((r): Op => ({ type: 'put', key: RULE + r.id, value: r })), { type: 'put', key: SEEDED, value: new Date().toISOString() }], SYNC);
    return true;
  }

  async listStates(): Promise<AlertState[]> {
    return (await this.db.values(range(STATE)).all()) as AlertState[];
  }

  async saveRound(states: readonly AlertState[], events: readonly AlertEvent[]): Promise<void> {
    const ops: Op[] = [...states.map((s): Op => ({ type: 'put', key: STATE + s.ruleId, value: s })), ...events.flatMap(eventOps)];
    if (ops.length) await this.db.batch(ops, SYNC);
  }

  async putEvent(event: AlertEvent): Promise<void> {
    await this.db.batch(eventOps(event), SYNC);
  }

  async recentEvents(limit: number): Promise<AlertEvent[]> {
    return (await this.db.values({ ...range(EVENT), reverse: true, limit }).all()) as AlertEvent[];
  }

  async pendingDeliveries(limit: number): Promise<AlertEvent[]> {
    const ids = (await this.db.values({ ...range(PENDING), limit }).all()) as string[];
    return ((await this.db.getMany(ids.map((id) => EVENT + id))) as Array<AlertEvent | undefined>).filter((e): e is AlertEvent => e !== undefined);
  }

  async pruneEvents(before: string, limit: number): Promise<number> {
    const old: AlertEvent[] = [];
    for (const e of (await this.db.values({ ...range(EVENT), limit }).all()) as AlertEvent[]) {
      // ids sort by time, so the first entry new enough ends the walk
      if (e.at >= before) break;
      old.push(e);
    }
    if (old.length) await this.db.batch(old.flatMap((e): Op[] => [{ type: 'del', key: EVENT + e.id }, { type: 'del', key: PENDING + e.id }]), SYNC);
    return old.length;
  }
}
