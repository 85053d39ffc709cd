/** Workflow templates. Creating a workflow from one copies its definition. */
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
        { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} },
        { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor on chain', params: {} },
        { id: 'present', kind: 'present', name: 'Present', params: { title: 'Analysis and proof' } },
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
        { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} },
        { id: 'approve', kind: 'approval', name: 'Approve', params: { prompt: 'Approve this document?', failOnReject: true } },
        { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor on chain', params: {} },
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
          kind: 'ai_generate',
          name: 'Write release note',
          params: { prompt: 'Write a short release note in Markdown (under 200 words) announcing this document: what it is and what matters in it.', title: 'Release note' },
        },
        {
          id: 'compose',
          kind: 'transform',
          name: 'Compose',
          params: { operation: 'template', template: 'Document {{input.documentId}} is published.\n\n{{steps.generate.text}}' },
        },
        { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: 'http://127.0.0.1:8080/publish', headers: {}, include: ['compose'] } },
      ],
    },
  },
];
