/**
 * Step parameters that hold secrets (a webhook's headers carry the receiver's token) are write-only:
 * every definition the server serves shows them masked, keeping the header name, and an edit that
 * sends the mask back keeps the secret stored for that step. Anyone who may read a workflow may see
 * that a step sends an Authorization header, never its value.
 */
import type { WorkflowDefinition } from '../../shared/model/workflow';
import type { WorkflowVersion } from '../adapters/storage/WorkflowStore';

export const MASK = '••••';

/** For each step kind, its parameters that are records of secret values. */
const SECRET_PARAMS: Readonly<Record<string, readonly string[]>> = { webhook: ['headers'] };

type Step = WorkflowDefinition['steps'][number];

function secretsOf(step: Step): Array<[param: string, values: Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const param of SECRET_PARAMS[step.kind] ?? []) {
    const values = step.params?.[param];
    if (values && typeof values === 'object' && !Array.isArray(values)) out.push([param, values as Record<string, unknown>]);
  }
  return out;
}

/** The definition as it may be shown: every secret value replaced by the mask. */
export function maskDefinition(def: WorkflowDefinition): WorkflowDefinition {
  const steps = def.steps.map((step) => {
    const secrets = secretsOf(step);
    if (!secrets.length) return step;
    const params = { ...step.params };
    for (const [param, values] of secrets) params[param] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
    return { ...step, params };
  });
  return { ...def, steps };
}

export function maskVersion(version: WorkflowVersion): WorkflowVersion {
  return { ...version, definition: maskDefinition(version.definition) };
}

/** The origin of a step's URL parameter, or the value itself when it is not a URL. */
function originOf(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * An edited definition with every masked value put back from `stored` (the same step id, parameter
 * and key). Returns the name of a masked value with nothing stored to keep, as an error, instead.
 */
export function keepSecrets(def: WorkflowDefinition, stored: WorkflowDefinition | undefined): { ok: true; definition: WorkflowDefinition } | { ok: false; message: string } {
  const before = new Map((stored?.steps ?? []).map((s) => [s.id, s]));
  const steps: Step[] = [];
  for (const step of def.steps) {
    const secrets = secretsOf(step);
    const masked = secrets.filter(([, values]) => Object.values(values).includes(MASK));
    if (!masked.length) {
      steps.push(step);
      continue;
    }
    const old = before.get(step.id);
    // a secret goes only where it went before: changing where a step sends (its URL's origin) while
    // keeping the masked value would hand the stored token to whoever chose the new address
    if (old && originOf(old.params?.url) !== originOf(step.params?.url)) {
      return { ok: false, message: `Step "${step.name}": its URL now points somewhere else, so the masked values (${MASK}) are not carried over; type them again.` };
    }
    const params = { ...step.params };
    for (const [param, values] of masked) {
      const kept = (old?.kind === step.kind ? old.params?.[param] : undefined) as Record<string, unknown> | undefined;
      const restored: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value !== MASK) restored[key] = value;
        else if (typeof kept?.[key] === 'string') restored[key] = kept[key];
        else return { ok: false, message: `Step "${step.name}": ${param} "${key}" is shown masked (${MASK}) but no value is stored for it to keep; type its value.` };
      }
      params[param] = restored;
    }
    steps.push({ ...step, params });
  }
  return { ok: true, definition: { ...def, steps } };
}
