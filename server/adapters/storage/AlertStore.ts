/**
 * Alert rules, each rule's state (ok or firing, and what an anomaly rule has learned), and the
 * history of what alerts did (fired, escalated, resolved, acknowledged), which is also the record of
 * each notification and of its webhook delivery: an entry is written before anything is sent.
 */
import type { AlertRule } from '../../alerts/rules';
import type { AlertState, Severity } from '../../alerts/transitions';

export type AlertEventKind = 'fired' | 'escalated' | 'resolved' | 'acked';

export interface WebhookDeliveryRecord {
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

export interface AlertEvent {
  /** Sorts by time; also the notification's idempotency key. */
  id: string;
  at: string;
  kind: AlertEventKind;
  alertId: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  value: number | null;
  message: string;
  /** Whether anyone beyond the log was told (not while silenced; no escalation once acknowledged). */
  notified: boolean;
  /** Who acknowledged, for `acked`. */
  by?: string;
  delivery?: WebhookDeliveryRecord;
}

export interface AlertStore {
  listRules(): Promise<AlertRule[]>;
  /** Creates or replaces a rule, by id. */
  putRule(rule: AlertRule): Promise<void>;
  /** Deletes a rule and its state; false when there was no such rule. */
  deleteRule(id: string): Promise<boolean>;
  /** Writes these rules unless rules were seeded before (even if all were deleted since); whether it did. */
  seedRules(rules: readonly AlertRule[]): Promise<boolean>;
  listStates(): Promise<AlertState[]>;
  /**
   * Writes states and history entries together: atomically in the embedded store; in MongoDB the
   * entries first, so a crash between can repeat a notification but never lose one.
   */
  saveRound(states: readonly AlertState[], events: readonly AlertEvent[]): Promise<void>;
  /** Replaces a history entry (its delivery moved on). */
  putEvent(event: AlertEvent): Promise<void>;
  /** The newest history entries first, at most `limit`. */
  recentEvents(limit: number): Promise<AlertEvent[]>;
  /** Entries whose webhook delivery is still pending, oldest first, at most `limit`. */
  pendingDeliveries(limit: number): Promise<AlertEvent[]>;
  /** Deletes up to `limit` of the oldest entries made before `before` (an ISO time); how many. */
  pruneEvents(before: string, limit: number): Promise<number>;
}
