/**
 * A builder's draft of one workflow: pure editing operations on a copy of a saved version. The
 * draft remembers which version it started from, so the server can refuse a save made against a
 * version someone else has replaced, and the draft is kept, never silently dropped.
 */

/** One step as the builder edits it; fields it does not edit (timeouts, retries, conditions) ride along. */
export interface DraftStep {
  id: string;
  kind: string;
  name: string;
  params: Record<string, unknown>;
  when?: { step: string } & Record<string, unknown>;
  [other: string]: unknown;
}

export interface DraftDefinition {
  name: string;
  description: string;
  steps: DraftStep[];
}

export interface Draft {
  workflowId: string;
  /** The version this draft was made from; a save sends it as `baseVersion`. */
  baseVersion: number;
  /** That version's definition, to tell whether anything changed. */
  saved: DraftDefinition;
  definition: DraftDefinition;
}

/** An edit that would make the workflow invalid; the message says why, for the person editing. */
export class DraftError extends Error {
  override name = 'DraftError';
}

const clone = <T>(v: T): T => structuredClone(v);

export function newDraft(workflowId: string, version: number, definition: DraftDefinition): Draft {
  return { workflowId, baseVersion: version, saved: clone(definition), definition: clone(definition) };
}

/** Whether the draft differs from the version it was made from (key order does not count). */
export function isDirty(draft: Draft): boolean {
  return canonical(draft.definition) !== canonical(draft.saved);
}

function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sort(v));
}

/** A step id from a kind, unused in the definition: "present", "present-2", … (ids are lower-case, ≤ 40). */
export function freshStepId(kind: string, taken: readonly string[]): string {
  const base = (kind.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '') || 'step').slice(0, 34);
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

function edit(draft: Draft, steps: DraftStep[], changes: Partial<DraftDefinition> = {}): Draft {
  return { ...draft, definition: { ...draft.definition, ...changes, steps } };
}

function checkIndex(draft: Draft, index: number): DraftStep {
  const step = draft.definition.steps[index];
  if (!step) throw new DraftError(`There is no step ${index + 1}.`);
  return step;
}

/** Adds a step of `kind` at `at` (the end by default) with the given starting parameters. */
export function addStep(draft: Draft, kind: string, title: string, params: Record<string, unknown>, at = draft.definition.steps.length): Draft {
  const steps = draft.definition.steps;
  if (steps.length >= 50) throw new DraftError('A workflow has at most 50 steps.');
  const index = Math.max(0, Math.min(steps.length, at));
  const step: DraftStep = { id: freshStepId(kind, steps.map((s) => s.id)), kind, name: title.slice(0, 80) || kind, params: clone(params) };
  return edit(draft, [...steps.slice(0, index), step, ...steps.slice(index)]);
}

export function removeStep(draft: Draft, index: number): Draft {
  const step = checkIndex(draft, index);
  const steps = draft.definition.steps;
  if (steps.length === 1) throw new DraftError('A workflow needs at least one step; add another before removing this one.');
  const dependent = steps.find((s) => s.when?.step === step.id);
  if (dependent) throw new DraftError(`"${dependent.name}" runs only on a condition about "${step.name}"; change that condition first.`);
  return edit(draft, steps.filter((_, i) => i !== index));
}

/** Moves a step `delta` places (−1 earlier, +1 later); a condition must still refer to an earlier step. */
export function moveStep(draft: Draft, index: number, delta: number): Draft {
  const step = checkIndex(draft, index);
  const steps = [...draft.definition.steps];
  const to = index + delta;
  if (to < 0 || to >= steps.length) throw new DraftError(delta < 0 ? `"${step.name}" is already first.` : `"${step.name}" is already last.`);
  steps.splice(index, 1);
  steps.splice(to, 0, step);
  steps.forEach((s, i) => {
    const ref = s.when ? steps.findIndex((o) => o.id === s.when!.step) : -1;
    if (s.when && ref >= i) throw new DraftError(`"${s.name}" runs only on a condition about "${steps[ref]?.name ?? s.when.step}", which must come before it.`);
  });
  return edit(draft, steps);
}

export function renameStep(draft: Draft, index: number, name: string): Draft {
  checkIndex(draft, index);
  return edit(
    draft,
    draft.definition.steps.map((s, i) => (i === index ? { ...s, name: name.slice(0, 80) } : s)),
  );
}

export function setParams(draft: Draft, index: number, params: Record<string, unknown>): Draft {
  checkIndex(draft, index);
  return edit(
    draft,
    draft.definition.steps.map((s, i) => (i === index ? { ...s, params: clone(params) } : s)),
  );
}

export function renameWorkflow(draft: Draft, name: string): Draft {
  return edit(draft, draft.definition.steps, { name: name.slice(0, 80) });
}

/**
 * Keeps the draft's changes but bases them on a newer version: what a person chooses after a save
 * was refused, once they have looked at what changed.
 */
export function rebase(draft: Draft, version: number, definition: DraftDefinition): Draft {
  return { ...draft, baseVersion: version, saved: clone(definition) };
}
