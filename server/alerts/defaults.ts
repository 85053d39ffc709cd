/**
 * The rules a server starts with, written once on its first start (editable and deletable after):
 * what most often goes wrong with a self-hosted server, each with a threshold that a healthy one
 * does not reach.
 */
import type { RuleInput } from './rules';

const common = { labels: {}, webhookUrl: null, minTotal: 0 } as const;

export const DEFAULT_RULES: readonly RuleInput[] = [
  // 5 % of REST requests failing on the server's side, once there are enough requests for a share to mean something
  { ...common, kind: 'threshold', name: 'REST error rate', series: 'http_requests', labels: { status: '5xx' }, aggregate: 'share', windowMinutes: 5, op: '>', value: 0.05, minTotal: 50, escalateAfterMinutes: 30 },
  // a 99th percentile of 200 ms means worlds' state updates (every 50 ms) fall behind
  { ...common, kind: 'threshold', name: 'Event loop delay', series: 'event_loop_delay_p99_seconds', aggregate: 'avg', windowMinutes: 5, op: '>', value: 0.2, escalateAfterMinutes: 30 },
  { ...common, kind: 'threshold', name: 'Failed workflow runs', series: 'workflow_runs', labels: { outcome: 'failed' }, aggregate: 'sum', windowMinutes: 15, op: '>=', value: 3, escalateAfterMinutes: 60 },
  // when the disk fills, the store can write nothing: not a document, not a sign-in
  { ...common, kind: 'threshold', name: 'Disk nearly full', series: 'disk_free_ratio', aggregate: 'avg', windowMinutes: 5, op: '<', value: 0.1, escalateAfterMinutes: 60 },
];
