/** Reading a world from the store into its synchronised state when its room opens. */
import type { DocumentRecord } from '../../../shared/model/documents';
import { templateLayout } from '../../../shared/model/props';
import { runSummary } from '../../../shared/model/runs';
import type { WorldTemplateId } from '../../../shared/model/worlds';
import type { WorldState } from '../../../shared/schema/WorldState';
import type { BlobStore } from '../../adapters/storage/BlobStore';
import { AppError } from '../../errors';
import { toPropModelState, toPropState } from '../propSync';
import { PREVIEW_CHARS, applyEffect, toAnnotationState, toDocumentState } from '../stateSync';
import type { WorldWriter } from '../WorldWriter';
import { setWorkflow } from '../workflowSync';
import { putTwin } from '../twinSync';
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

/**
 * The world's props and the models uploaded for them. A world whose layout was never written gets
 * its template's, written now so its props keep their ids from then on.
 */
export async function loadLayout(store: WorldCoreDeps['store'], worldId: string, template: WorldTemplateId, state: WorldState): Promise<void> {
  for (const model of await store.listPropModels(worldId)) state.propModels.set(model.id, toPropModelState(model));
  let layout = await store.getLayout(worldId);
  if (!layout) {
    layout = templateLayout(template);
    await store.saveLayout(worldId, layout);
  }
  for (const prop of layout) state.props.set(prop.id, toPropState(prop));
}

/** The world's documents (with previews), notes, props, workflows and each workflow's latest runs. */
export async function loadWorld(deps: WorldCoreDeps, worldId: string, template: WorldTemplateId, state: WorldState, writer: WorldWriter): Promise<void> {
  await loadLayout(deps.store, worldId, template, state);
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
  for (const view of (await deps.twins?.(worldId)) ?? []) putTwin(state, view);
}
