/** The analytics the dashboard reads: administrators' series and site usage, owners' worlds and workflows. */
import type { ActiveAlert, SiteUsage, WorkflowInsight as Insight, WorldStats } from '../../shared/model/insights';
import { downloadFile, request } from '../net/api';

export type { ActiveAlert, SessionTotals, SiteUsage, StepInsight, WorldStats } from '../../shared/model/insights';

export type Resolution = 'minute' | 'hour';

export interface RollupPoint {
  at: string;
  labels: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
}

export interface Overview {
  admin: boolean;
  worlds: Array<{ id: string; name: string }>;
}

/** A workflow's insights as the route answers them. */
export type WorkflowInsight = Insight & { workflow: { id: string; name: string; worldId: string | null }; runsRead: number; truncated: boolean };

export interface WorkflowListing {
  id: string;
  name: string;
  worldId: string | null;
  worldName: string | null;
}

const range = (from: number, to: number) => `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;

export const overview = () => request<Overview>('/analytics/overview');

export async function series(name: string, resolution: Resolution, from: number, to: number): Promise<RollupPoint[]> {
  return (await request<{ points: RollupPoint[] }>(`/analytics/series/${encodeURIComponent(name)}?resolution=${resolution}&${range(from, to)}`)).points;
}

export const siteUsage = (from: number, to: number) => request<SiteUsage>(`/analytics/usage?${range(from, to)}`);
export const worldStats = (worldId: string) => request<WorldStats>(`/analytics/worlds/${encodeURIComponent(worldId)}`);
export async function workflows(): Promise<WorkflowListing[]> {
  return (await request<{ workflows: WorkflowListing[] }>('/analytics/workflows')).workflows;
}
export const workflowInsight = (id: string, from: number, to: number) => request<WorkflowInsight>(`/analytics/workflows/${encodeURIComponent(id)}?${range(from, to)}`);

/** A CSV report of `names` over the range, as the server wrote it. */
export function report(names: readonly string[], resolution: Resolution, from: number, to: number): Promise<{ blob: Blob; fileName: string }> {
  return downloadFile(`/analytics/report?series=${names.map(encodeURIComponent).join(',')}&resolution=${resolution}&${range(from, to)}`, 'report.csv');
}

export interface AlertEntry {
  id: string;
  at: string;
  kind: 'fired' | 'escalated' | 'resolved' | 'acked';
  ruleName: string;
  severity: 'warning' | 'critical';
  message: string;
  by?: string;
}

export async function activeAlerts(): Promise<ActiveAlert[]> {
  return (await request<{ alerts: ActiveAlert[] }>('/alerts/active')).alerts;
}
export async function alertHistory(limit = 10): Promise<AlertEntry[]> {
  return (await request<{ entries: AlertEntry[] }>(`/alerts/history?limit=${limit}`)).entries;
}
export const acknowledgeAlert = (alertId: string) => request<unknown>(`/alerts/${encodeURIComponent(alertId)}/ack`, { method: 'POST', body: '{}' });
export const silenceRule = (ruleId: string, minutes: number) => request<unknown>(`/alerts/rules/${encodeURIComponent(ruleId)}/silence`, { method: 'POST', body: JSON.stringify({ minutes }) });
