/** Workflow templates. Creating a workflow from one copies its definition. */
import { STEP_KIND } from '../../shared/model/stepKinds';
import type { WorkflowDefinition } from '../../shared/model/workflow';

export interface WorkflowTemplate {
  id: string;
  title: string;
  definition: WorkflowDefinition;
}

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: 'document-pipeline',
    title: 'Document processing pipeline',
    definition: {
      name: 'Document processing pipeline',
      description: 'Analyses the document, anchors its hash on chain and presents both beside the chain.',
      steps: [
        { id: 'analyse', kind: STEP_KIND.AI_ANALYSIS, name: 'Analyse', params: {} },
        { id: 'anchor', kind: STEP_KIND.BLOCKCHAIN_ANCHOR, name: 'Anchor on chain', params: {} },
        { id: 'present', kind: STEP_KIND.PRESENT, name: 'Present', params: { title: 'Analysis and proof' } },
      ],
    },
  },
  {
    id: 'review-approve',
    title: 'Review and approve',
    definition: {
      name: 'Review and approve',
      description: 'Analyses the document, waits for an editor to approve it, then anchors it on chain.',
      steps: [
        { id: 'analyse', kind: STEP_KIND.AI_ANALYSIS, name: 'Analyse', params: {} },
        { id: 'approve', kind: STEP_KIND.APPROVAL, name: 'Approve', params: { prompt: 'Approve this document?', failOnReject: true } },
        { id: 'anchor', kind: STEP_KIND.BLOCKCHAIN_ANCHOR, name: 'Anchor on chain', params: {} },
      ],
    },
  },
  {
    id: 'publish',
    title: 'Publish',
    definition: {
      name: 'Publish',
      description: 'Writes a release note from the document with AI, shows it in the world as it is written, and sends it to a webhook (set its URL before running).',
      steps: [
        {
          id: 'generate',
          kind: STEP_KIND.AI_GENERATE,
          name: 'Write release note',
          params: { prompt: 'Write a short release note in Markdown (under 200 words) announcing this document: what it is and what matters in it.', title: 'Release note' },
        },
        {
          id: 'compose',
          kind: STEP_KIND.TRANSFORM,
          name: 'Compose',
          params: { operation: 'template', template: 'Document {{input.documentId}} is published.\n\n{{steps.generate.text}}' },
        },
        { id: 'notify', kind: STEP_KIND.WEBHOOK, name: 'Notify', params: { url: 'http://127.0.0.1:8080/publish', headers: {}, include: ['compose'] } },
      ],
    },
  },
];
