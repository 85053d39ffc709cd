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

/** Refuses to take away what a later step's condition reads. */
function refuseIfConditionedOn(draft: Draft, step: DraftStep): void {
  const dependent = draft.definition.steps.find((s) => s.when?.step === step.id);
  if (dependent) throw new DraftError(`"${dependent.name}" runs only on a condition about "${step.name}"; change that condition first.`);
}

export function removeStep(draft: Draft, index: number): Draft {
  const step = checkIndex(draft, index);
  const steps = draft.definition.steps;
  if (steps.length === 1) throw new DraftError('A workflow needs at least one step; add another before removing this one.');
  refuseIfConditionedOn(draft, step);
  return edit(draft, steps.filter((_, i) => i !== index));
}

/** Where the step with this id is now (the draft may have changed since it was picked). */
export function stepIndex(draft: Draft, stepId: string): number {
  const index = draft.definition.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new DraftError('That step is no longer in the chain.');
  return index;
}

/**
 * Makes a step another kind: it takes the kind's title as its name and starts from the kind's
 * starting parameters (the old kind's would not fit). Its id, place and own condition stay, so the
 * steps around it are untouched; a later step's condition on its results refuses the change.
 */
export function changeStepKind(draft: Draft, index: number, kind: string, title: string, params: Record<string, unknown>): Draft {
  const step = checkIndex(draft, index);
  if (step.kind === kind) return draft;
  refuseIfConditionedOn(draft, step);
  return edit(
    draft,
    draft.definition.steps.map((s, i) => (i === index ? { ...s, kind, name: title.slice(0, 80) || kind, params: clone(params) } : s)),
  );
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
 * Re-applies the draft's own changes (against the version it was made from) on top of a newer
 * version: renames, parameter edits, added and removed steps, and a new order. Where both changed
 * the same thing the draft's change wins, since its author is the one asking; nothing either side
 * changed elsewhere is dropped.
 */
export function mergeOnto(draft: Draft, version: number, latest: DraftDefinition): Draft {
  const base = draft.saved;
  const mine = draft.definition;
  const baseById = new Map(base.steps.map((s) => [s.id, s]));
  const mineById = new Map(mine.steps.map((s) => [s.id, s]));
  let steps: DraftStep[] = latest.steps.filter((s) => !(baseById.has(s.id) && !mineById.has(s.id))).map((s) => clone(s));
  // my edits of steps both of us have (or that they removed and I changed: kept, as mine)
  for (const m of mine.steps) {
    const b = baseById.get(m.id);
    if (!b || canonical(b) === canonical(m)) continue;
    const i = steps.findIndex((s) => s.id === m.id);
    if (i < 0) continue;
    const merged: DraftStep = { ...steps[i]! };
    for (const key of new Set([...Object.keys(b), ...Object.keys(m)])) {
      if (canonical(b[key]) !== canonical(m[key])) {
        if (m[key] === undefined) delete merged[key];
        else merged[key] = clone(m[key]);
      }
    }
    steps[i] = merged;
  }
  // my order, when I changed the order of steps that were there before
  const common = (list: readonly DraftStep[]) => list.filter((s) => baseById.has(s.id) && mineById.has(s.id)).map((s) => s.id);
  if (common(mine.steps).join() !== common(base.steps).join()) {
    const wanted = mine.steps.map((s) => s.id).filter((id) => steps.some((s) => s.id === id));
    const rank = new Map(wanted.map((id, i) => [id, i]));
    const ordered = wanted.map((id) => steps.find((s) => s.id === id)!);
    // their own new steps stay after the step they followed
    steps.forEach((s, i) => {
      if (rank.has(s.id)) return;
      const before = steps.slice(0, i).reverse().find((p) => rank.has(p.id) || ordered.includes(p));
      ordered.splice(before ? ordered.indexOf(before) + 1 : 0, 0, s);
    });
    steps = ordered;
  }
  // steps I added, after the step they follow in my draft (or that they removed and I changed)
  mine.steps.forEach((m, i) => {
    if (steps.some((s) => s.id === m.id)) return;
    if (baseById.has(m.id) && canonical(baseById.get(m.id)) === canonical(m)) return;
    const prev = mine.steps.slice(0, i).reverse().find((p) => steps.some((s) => s.id === p.id));
    const at = prev ? steps.findIndex((s) => s.id === prev.id) + 1 : 0;
    steps.splice(at, 0, clone(m));
  });
  const name = mine.name !== base.name ? mine.name : latest.name;
  const description = mine.description !== base.description ? mine.description : latest.description;
  return { ...draft, baseVersion: version, saved: clone(latest), definition: { name, description, steps } };
}
