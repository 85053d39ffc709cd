/** Reading a world from the store into its synchronised state when its room opens. */
import type { DocumentRecord } from '../../../shared/model/documents';
import { runSummary } from '../../../shared/model/runs';
import type { WorldState } from '../../../shared/schema/WorldState';
import type { BlobStore } from '../../adapters/storage/BlobStore';
import { AppError } from '../../errors';
import { PREVIEW_CHARS, applyEffect, toAnnotationState, toDocumentState } from '../stateSync';
import type { WorldWriter } from '../WorldWriter';
import { setWorkflow } from '../workflowSync';
import type { WorldCoreDeps } from './types';

/** The start of a text document, for the state's preview field. */
export async function readPreview(blobs: BlobStore, doc: DocumentRecord): Promise<string> {
  if (doc.kind !== 'markdown' && doc.kind !== 'text') return '';
  const blob = await blobs.read(doc.contentHash);
  if (!blob) return '';
  let text = '';
  for await (const chunk of blob.stream) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length >= PREVIEW_CHARS) break;
  }
  blob.stream.destroy();
  return text.slice(0, PREVIEW_CHARS);
}

/** Puts a workflow's current version into the state, or takes it out when it is gone or not this world's. */
export async function loadWorkflow(workflows: WorldCoreDeps['workflows'], worldId: string, state: WorldState, workflowId: string): Promise<void> {
  try {
    const { workflow, current } = await workflows.get(workflowId);
    if (workflow.worldId === worldId) setWorkflow(state, workflow, current);
    else state.workflows.delete(workflowId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) state.workflows.delete(workflowId);
    else throw err;
  }
}

/** The world's documents (with previews), notes, workflows and each workflow's latest runs. */
export async function loadWorld(deps: WorldCoreDeps, worldId: string, state: WorldState, writer: WorldWriter): Promise<void> {
  for (const doc of await deps.store.listDocuments(worldId)) {
    state.documents.set(doc.id, toDocumentState(doc, await readPreview(deps.blobs, doc)));
  }
  for (const note of await deps.store.listAnnotations(worldId)) {
    state.annotations.set(note.id, toAnnotationState(note));
    writer.knowNote(note);
  }
  for (const workflow of await deps.workflows.list(worldId)) {
    await loadWorkflow(deps.workflows, worldId, state, workflow.id);
    for (const run of await deps.workflowStore.listRuns(workflow.id, 5)) applyEffect(state, { op: 'runProgress', run: runSummary(run) });
  }
}
