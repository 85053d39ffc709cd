import { describe, expect, it } from 'vitest';
import { WorkflowDefinition } from '../../shared/model/workflow';
import { STEP_KIND } from '../../shared/model/stepKinds';
import { BUILT_IN_STEPS, StepRegistry } from './steps';
import { EVERY_ADAPTER } from './steps/StepKind';
import { WORKFLOW_TEMPLATES } from './templates';

describe('workflow templates', () => {
  const registry = new StepRegistry(BUILT_IN_STEPS, EVERY_ADAPTER);

  it.each(WORKFLOW_TEMPLATES.map((t) => [t.id, t] as const))('%s is a valid workflow of known step kinds', (_id, template) => {
    const def = WorkflowDefinition.parse(template.definition);
    for (const step of def.steps) expect(registry.check(step.kind, step.params), `${step.id}`).toMatchObject({ ok: true });
  });

  it('uses only kinds the registry has, and the registry has a kind for every name', () => {
    const names = Object.values(STEP_KIND) as string[];
    for (const template of WORKFLOW_TEMPLATES) for (const step of template.definition.steps) expect(names, `${template.id}/${step.id}`).toContain(step.kind);
    expect(registry.names().sort()).toEqual([...names].sort());
  });

  it('has the pipelines the product promises', () => {
    const kinds = (id: string) => WORKFLOW_TEMPLATES.find((t) => t.id === id)!.definition.steps.map((s) => s.kind);
    expect(kinds('document-pipeline')).toEqual([STEP_KIND.AI_ANALYSIS, STEP_KIND.BLOCKCHAIN_ANCHOR, STEP_KIND.PRESENT]);
    expect(kinds('review-approve')).toEqual([STEP_KIND.AI_ANALYSIS, STEP_KIND.APPROVAL, STEP_KIND.BLOCKCHAIN_ANCHOR]);
    expect(kinds('publish')).toEqual([STEP_KIND.AI_GENERATE, STEP_KIND.TRANSFORM, STEP_KIND.WEBHOOK]);
  });
});
