/**
 * Workflow definitions and run statuses, shared by the server (which runs them) and the client
 * (which shows them). A workflow is an ordered chain of steps; each step names a kind whose
 * parameters that kind's own schema checks on the server.
 */
import { z } from 'zod';

export const StepStatus = {
  PENDING: 'pending',
  RUNNING: 'running',
  WAITING: 'waiting',
  RETRYING: 'retrying',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'cancelled',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

export const RunStatus = {
  QUEUED: 'queued',
  RUNNING: 'running',
  WAITING: 'waiting',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, critical: 3 };

export const StepId = z.string().min(1).max(40).regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, - and _, starting with a letter');

export const RetryPolicy = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20).default(3),
  initialDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
  maxDelayMs: z.number().int().min(0).max(86_400_000).default(60_000),
  factor: z.number().min(1).max(10).default(2),
  /** Spread of each delay, as a fraction of it: 0.2 means ±20 %. */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type RetryPolicy = z.output<typeof RetryPolicy>;

/** Runs the step only when an earlier step's output satisfies this; otherwise it is skipped. */
export const Condition = z.strictObject({
  step: StepId,
  /** Dotted path into that step's output, e.g. "sentiment.score"; empty for the whole output. */
  path: z.string().max(200).regex(/^[A-Za-z0-9_.]*$/).default(''),
  op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists', 'truthy', 'contains']),
  value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]).optional(),
});
export type Condition = z.output<typeof Condition>;

export const StepDefinition = z.strictObject({
  id: StepId,
  kind: z.string().min(1).max(40).regex(/^[a-z][a-z0-9_]*$/),
  name: z.string().min(1).max(80),
  params: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().min(10).max(7 * 86_400_000).optional(),
  retry: RetryPolicy.optional(),
  when: Condition.optional(),
});
export type StepDefinition = z.output<typeof StepDefinition>;

export const WorkflowDefinition = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    description: z.string().max(2000).default(''),
    steps: z.array(StepDefinition).min(1, 'a workflow needs at least one step').max(50),
  })
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    def.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${s.id}" is used twice` });
      if (s.when && !seen.has(s.when.step)) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'when', 'step'], message: `the condition must refer to an earlier step, not "${s.when.step}"` });
      }
      seen.add(s.id);
    });
  });
export type WorkflowDefinition = z.output<typeof WorkflowDefinition>;

/** Evaluates a condition against the outputs of earlier steps. Pure. */
export function conditionHolds(cond: Condition, outputs: Readonly<Record<string, unknown>>): boolean {
  let value: unknown = outputs[cond.step];
  for (const key of cond.path ? cond.path.split('.') : []) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  const want = cond.value;
  switch (cond.op) {
    case 'exists':
      return value !== undefined && value !== null;
    case 'truthy':
      return Boolean(value);
    case 'eq':
      return value === want;
    case 'ne':
      return value !== want;
    case 'gt':
      return typeof value === 'number' && typeof want === 'number' && value > want;
    case 'gte':
      return typeof value === 'number' && typeof want === 'number' && value >= want;
    case 'lt':
      return typeof value === 'number' && typeof want === 'number' && value < want;
    case 'lte':
      return typeof value === 'number' && typeof want === 'number' && value <= want;
    case 'contains':
      return (typeof value === 'string' && typeof want === 'string' && value.includes(want)) || (Array.isArray(value) && value.includes(want));
    default: {
      const unreachable: never = cond.op;
      throw new Error(`unknown condition operator ${String(unreachable)}`);
    }
  }
}
