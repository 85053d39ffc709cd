import { describe, expect, it } from 'vitest';
import { WorkflowDefinition } from '../../shared/model/workflow';
import { BUILT_IN_STEPS, StepRegistry } from './steps';
import { WORKFLOW_TEMPLATES } from './templates';

describe('workflow templates', () => {
  const registry = new StepRegistry(BUILT_IN_STEPS);
  it.each(WORKFLOW_TEMPLATES.map((t) => [t.id, t] as const))('%s is a valid workflow of known step kinds', (_id, template) => {
    const def = WorkflowDefinition.parse(template.definition);
    for (const step of def.steps) expect(registry.check(step.kind, step.params), `${step.id}`).toMatchObject({ ok: true });
  });

  it('has the pipelines the product promises', () => {
    const kinds = (id: string) => WORKFLOW_TEMPLATES.find((t) => t.id === id)!.definition.steps.map((s) => s.kind);
    expect(kinds('document-pipeline')).toEqual(['ai_analysis', 'blockchain_anchor', 'present']);
    expect(kinds('review-approve')).toEqual(['ai_analysis', 'approval', 'blockchain_anchor']);
    expect(kinds('publish')).toEqual(['ai_generate', 'transform', 'webhook']);
  });
});
