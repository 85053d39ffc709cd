/**
 * Workflow templates. Creating a workflow from one copies its definition. The AI and chain steps
 * of the product's pipelines plug in as their step kinds arrive; until then the templates use the
 * kinds this server has.
 */
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
      description: 'Reads the document, summarises its structure and presents the result beside the chain.',
      steps: [
        { id: 'analyse', kind: 'transform', name: 'Analyse', params: { operation: 'outline' } },
        { id: 'measure', kind: 'transform', name: 'Measure', params: { operation: 'word_count' } },
        { id: 'present', kind: 'present', name: 'Present', params: { title: 'Analysis' } },
      ],
    },
  },
  {
    id: 'review-approve',
    title: 'Review and approve',
    definition: {
      name: 'Review and approve',
      description: 'Analyses the document, waits for an editor to approve it, then presents the outcome.',
      steps: [
        { id: 'analyse', kind: 'transform', name: 'Analyse', params: { operation: 'outline' } },
        { id: 'approve', kind: 'approval', name: 'Approve', params: { prompt: 'Approve this document?', failOnReject: true } },
        { id: 'present', kind: 'present', name: 'Present', params: { title: 'Approved' } },
      ],
    },
  },
  {
    id: 'publish',
    title: 'Publish',
    definition: {
      name: 'Publish',
      description: 'Writes a release note from the document and sends it to a webhook (set its URL before running).',
      steps: [
        {
          id: 'compose',
          kind: 'transform',
          name: 'Compose',
          params: { operation: 'template', template: 'Document {{input.documentId}} is published.' },
        },
        { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: 'http://127.0.0.1:8080/publish', headers: {}, include: ['compose'] } },
      ],
    },
  },
];
