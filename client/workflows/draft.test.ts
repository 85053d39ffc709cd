import { describe, expect, it } from 'vitest';
import { DraftError, addStep, changeStepKind, freshStepId, isDirty, mergeOnto, moveStep, newDraft, removeStep, renameStep, setParams, stepIndex, type DraftDefinition } from './draft';

const DEF: DraftDefinition = {
  name: 'Pipeline',
  description: '',
  steps: [
    { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} },
    { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor', params: {} },
    { id: 'present', kind: 'present', name: 'Present', params: { title: 'Results' } },
  ],
};

const ids = (d: ReturnType<typeof newDraft>) => d.definition.steps.map((s) => s.id);

describe('workflow drafts', () => {
  it('starts clean, becomes dirty on an edit, and the saved copy is untouched', () => {
    const d = newDraft('w1', 1, DEF);
    expect(isDirty(d)).toBe(false);
    const renamed = renameStep(d, 0, 'Read it');
    expect(isDirty(renamed)).toBe(true);
    expect(renamed.saved.steps[0]!.name).toBe('Analyse');
    expect(DEF.steps[0]!.name).toBe('Analyse');
  });

  it('ignores key order when telling whether it changed', () => {
    const d = newDraft('w1', 1, DEF);
    expect(isDirty(setParams(d, 2, { title: 'Results' }))).toBe(false);
  });

  it('adds a step with a fresh id at the end or at a place', () => {
    const d = newDraft('w1', 1, DEF);
    expect(ids(addStep(d, 'present', 'Present again', {}))).toEqual(['analyse', 'anchor', 'present', 'present-2']);
    expect(ids(addStep(d, 'delay', 'Wait', { ms: 10 }, 1))).toEqual(['analyse', 'delay', 'anchor', 'present']);
    expect(freshStepId('blockchain_anchor', [])).toBe('blockchain_anchor');
    expect(freshStepId('9 Odd Kind!', [])).toMatch(/^[a-z][a-z0-9_-]*$/);
  });

  it('removes and reorders steps', () => {
    const d = newDraft('w1', 1, DEF);
    expect(ids(removeStep(d, 1))).toEqual(['analyse', 'present']);
    expect(ids(moveStep(d, 2, -1))).toEqual(['analyse', 'present', 'anchor']);
    expect(ids(moveStep(d, 0, 1))).toEqual(['anchor', 'analyse', 'present']);
  });

  it('changes a step to another kind in place, with that kind\'s name and starting parameters', () => {
    const d = newDraft('w1', 1, { ...DEF, steps: DEF.steps.map((s, i) => (i === 1 ? { ...s, timeoutMs: 5000 } : s)) });
    const changed = changeStepKind(d, stepIndex(d, 'anchor'), 'delay', 'Delay', { ms: 0 });
    expect(changed.definition.steps[1]).toEqual({ id: 'anchor', kind: 'delay', name: 'Delay', params: { ms: 0 }, timeoutMs: 5000 });
    expect(ids(changed)).toEqual(ids(d));
    expect(isDirty(changed)).toBe(true);
    // the same kind again changes nothing (its parameters are kept)
    expect(changeStepKind(d, 2, 'present', 'Present', {})).toBe(d);
    expect(() => stepIndex(d, 'gone')).toThrow(/no longer in the chain/);
    const conditional = newDraft('w1', 1, { ...DEF, steps: [DEF.steps[0]!, { ...DEF.steps[1]!, when: { step: 'analyse', op: 'truthy' } }] });
    expect(() => changeStepKind(conditional, 0, 'delay', 'Delay', {})).toThrow(/condition/);
  });

  it('refuses edits that would break the workflow, with a reason', () => {
    const d = newDraft('w1', 1, DEF);
    expect(() => moveStep(d, 0, -1)).toThrow(/already first/);
    expect(() => moveStep(d, 2, 1)).toThrow(/already last/);
    expect(() => removeStep(d, 7)).toThrow(DraftError);
    const single = newDraft('w1', 1, { ...DEF, steps: [DEF.steps[0]!] });
    expect(() => removeStep(single, 0)).toThrow(/at least one step/);
    const conditional = newDraft('w1', 1, {
      ...DEF,
      steps: [DEF.steps[0]!, { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor', params: {}, when: { step: 'analyse', op: 'truthy' } }],
    });
    expect(() => removeStep(conditional, 0)).toThrow(/condition/);
    expect(() => moveStep(conditional, 1, -1)).toThrow(/must come before it/);
  });
});

describe('merging a stale draft onto the newest version', () => {
  const base = newDraft('w1', 1, DEF);
  const names = (d: ReturnType<typeof newDraft>) => d.definition.steps.map((s) => `${s.id}:${s.name}`);

  it('keeps their reorder and my rename', () => {
    const mine = renameStep(base, 0, 'Read closely');
    const theirs = moveStep(base, 1, 1).definition;
    const merged = mergeOnto(mine, 2, theirs);
    expect(merged.baseVersion).toBe(2);
    expect(names(merged)).toEqual(['analyse:Read closely', 'present:Present', 'anchor:Anchor']);
    expect(isDirty(merged)).toBe(true);
  });

  it('keeps their added step and my removal and my parameter edit', () => {
    const mine = setParams(removeStep(base, 1), 1, { title: 'Mine' });
    const theirs = addStep(base, 'delay', 'Wait', { ms: 5 }, 1).definition;
    const merged = mergeOnto(mine, 2, theirs);
    expect(merged.definition.steps.map((s) => s.id)).toEqual(['analyse', 'delay', 'present']);
    expect(merged.definition.steps[2]!.params).toEqual({ title: 'Mine' });
  });

  it('applies my reorder and my added step to their version', () => {
    const mine = addStep(moveStep(base, 0, 1), 'delay', 'Wait', { ms: 1 }, 3);
    const theirs = renameStep(base, 2, 'Show').definition;
    const merged = mergeOnto(mine, 2, theirs);
    expect(names(merged)).toEqual(['anchor:Anchor', 'analyse:Analyse', 'present:Show', 'delay:Wait']);
  });

  it('keeps a step they removed when I had changed it', () => {
    const mine = renameStep(base, 1, 'Anchor twice');
    const theirs = removeStep(base, 1).definition;
    expect(names(mergeOnto(mine, 2, theirs))).toEqual(['analyse:Analyse', 'anchor:Anchor twice', 'present:Present']);
  });
});
