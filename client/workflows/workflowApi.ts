/** The workflow REST routes the builder and the run list use (/api/v3/workflows, /api/v3/runs). */
import { request } from '../net/api';
import type { DraftDefinition } from './draft';
import type { JsonSchema } from './schemaForm';

export interface StepKindInfo {
  kind: string;
  title: string;
  description: string;
  params: JsonSchema;
}

export interface WorkflowTemplateInfo {
  id: string;
  title: string;
  description: string;
}

export interface WorkflowSnapshot {
  workflow: { id: string; name: string; worldId: string | null; currentVersion: number; latestVersion: number };
  current: { version: number; definition: DraftDefinition; message: string; author: string };
}

export interface RunDetail {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  input: Record<string, unknown>;
  steps: { stepId: string; status: string; attempt: number; error?: { message: string } }[];
  log: { at: number; stepId: string | null; message: string }[];
  createdAt: number;
  updatedAt: number;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export async function stepKinds(): Promise<StepKindInfo[]> {
  return (await request<{ steps: StepKindInfo[] }>('/workflows/steps')).steps;
}

export async function workflowTemplates(): Promise<WorkflowTemplateInfo[]> {
  return (await request<{ templates: WorkflowTemplateInfo[] }>('/workflows/templates')).templates;
}

/** The chain networks this server is configured with (names only) and the one used when a step names none. */
export function chainNetworks(): Promise<{ networks: string[]; default: string }> {
  return request<{ networks: string[]; default: string }>('/blockchain/networks');
}

export function createWorkflow(worldId: string, template: string): Promise<WorkflowSnapshot> {
  return request<WorkflowSnapshot>('/workflows', json('POST', { worldId, template, message: `created from template ${template}` }));
}

export function getWorkflow(id: string): Promise<WorkflowSnapshot> {
  return request<WorkflowSnapshot>(`/workflows/${encodeURIComponent(id)}`);
}

/** Saves a draft as a new version; an ApiError with status 409 means the base version is stale. */
export function saveWorkflow(id: string, baseVersion: number, definition: DraftDefinition, message: string): Promise<WorkflowSnapshot> {
  return request<WorkflowSnapshot>(`/workflows/${encodeURIComponent(id)}`, json('PUT', { baseVersion, definition, message }));
}

export async function getRun(id: string): Promise<RunDetail> {
  return (await request<{ run: RunDetail }>(`/runs/${encodeURIComponent(id)}`)).run;
}
