import { describe, expect, it } from 'vitest';
import { DraftError, addStep, freshStepId, isDirty, moveStep, newDraft, rebase, removeStep, renameStep, setParams, type DraftDefinition } from './draft';

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

  it('rebases a draft on a newer version and keeps its changes', () => {
    const d = renameStep(newDraft('w1', 1, DEF), 0, 'Mine');
    const theirs = { ...DEF, name: 'Theirs' };
    const r = rebase(d, 2, theirs);
    expect(r.baseVersion).toBe(2);
    expect(r.definition.steps[0]!.name).toBe('Mine');
    expect(r.saved.name).toBe('Theirs');
    expect(isDirty(r)).toBe(true);
  });
});
