/**
 * What the analytics routes answer about the use of worlds and workflows, and the alerts firing:
 * written by the server (server/analytics, server/alerts), read by the dashboard.
 */

export interface SessionTotals {
  sessions: number;
  seconds: number;
}

export interface WorldStats {
  world: { id: string; name: string };
  peopleNow: Record<string, number>;
  /** Sessions that ended in the last 24 hours, in all and by device. */
  lastDay: SessionTotals & { byDevice: Record<string, SessionTotals> };
  /** Runs started in the last 24 hours, by status. */
  runsLastDay: Record<string, number>;
  /** Sessions by the hour over the last 7 days, oldest first. */
  hours: Array<{ at: string } & SessionTotals>;
}

export interface SiteUsage {
  from: string;
  to: string;
  byDevice: Record<string, SessionTotals>;
  /** The ten worlds people spent most time in. */
  busiestWorlds: Array<{ id: string; name: string } & SessionTotals>;
  /** Sessions that ended in each hour of the day (UTC), 0…23. */
  byHourOfDay: SessionTotals[];
  truncated: boolean;
}

export interface StepInsight {
  stepId: string;
  name: string;
  kind: string;
  /** Attempts made in all runs, and how many failed. */
  attempts: number;
  failedAttempts: number;
  /** Runs this step ended in failure. */
  failedRuns: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Its share of the time of the finished runs, 0…1. */
  shareOfTime: number;
  /** Failed attempts by error code, most first. */
  failureCodes: Array<{ code: string; count: number }>;
  /** Results that repeat an earlier run's for the same run input: what a cache would have saved. */
  repeats: number;
  /** Results it produced (for `repeats` to be read against). */
  results: number;
}

export interface Suggestion {
  stepId: string | null;
  severity: 'info' | 'warning';
  text: string;
}

export interface WorkflowInsight {
  runs: { total: number; succeeded: number; failed: number; cancelled: number; unfinished: number };
  /** Succeeded of the finished runs, 0…1; null before any finished. */
  successRate: number | null;
  durationMs: { p50: number | null; p95: number | null };
  /** Time from a run being queued to its first step starting. */
  queueMs: { p50: number | null; p95: number | null };
  steps: StepInsight[];
  /** The commonest reasons runs failed: the step and error code that ended them, with the latest message. */
  failureReasons: Array<{ stepId: string; name: string; code: string; count: number; message: string }>;
  suggestions: Suggestion[];
}

export interface ActiveAlert {
  alertId: string;
  ruleId: string;
  ruleName: string;
  severity: 'warning' | 'critical';
  since: string;
  value: number | null;
  ackedBy: string | null;
  ackedAt: string | null;
  silencedUntil: string | null;
  message: string;
}
