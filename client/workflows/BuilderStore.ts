/**
 * The one draft both builders edit: the 2D side panel and the buttons on the 3D nodes go through
 * here, so an edit made in one shows in the other. Saving sends the version the draft was made
 * from; when someone else saved first the server refuses, the refusal is shown, and the draft
 * stays as it was until its author decides what to do with it.
 */
import { ApiError } from '../net/api';
import { DraftError, isDirty, mergeOnto, newDraft, type Draft } from './draft';
import { formFor, withChoices, type FormSpec } from './schemaForm';
import { chainNetworks, createWorkflow, getWorkflow, saveWorkflow, stepKinds, workflowTemplates, type StepKindInfo, type WorkflowSnapshot, type WorkflowTemplateInfo } from './workflowApi';
import { inBackground } from '../ui/kit/background';

export interface BuilderView {
  kinds: readonly StepKindInfo[];
  templates: readonly WorkflowTemplateInfo[];
  draft: Draft | null;
  dirty: boolean;
  /** The newest version the world knows of the workflow being edited. */
  latestVersion: number;
  /** A refusal or failure, in the server's words where it gave some. */
  error: string;
  /** The last save was refused because the draft's version is stale. */
  stale: boolean;
  /** Something worth knowing that is not an error (someone else saved). */
  notice: string;
  busy: boolean;
}

/** `structural` is false for edits typed into a field, so the form is not rebuilt under the cursor. */
export type BuilderListener = (view: BuilderView, structural: boolean) => void;

export class BuilderStore {
  private view: BuilderView = { kinds: [], templates: [], draft: null, dirty: false, latestVersion: 0, error: '', stale: false, notice: '', busy: false };
  private readonly listeners = new Set<BuilderListener>();
  private readonly specs = new Map<string, FormSpec>();
  private loading: Promise<void> | null = null;

  constructor(private readonly worldId: string) {}

  get state(): Readonly<BuilderView> {
    return this.view;
  }

  subscribe(listener: BuilderListener): () => void {
    this.listeners.add(listener);
    listener(this.view, true);
    return () => this.listeners.delete(listener);
  }

  /** Step kinds and templates, fetched once. */
  loadCatalogue(): Promise<void> {
    // without a chain (or its route) the network stays a typed field
    this.loading ??= Promise.all([stepKinds(), workflowTemplates(), chainNetworks().catch(() => ({ networks: [] as string[], default: '' }))])
      .then(([kinds, templates, chain]) => {
        const choices = { network: { options: chain.networks, emptyLabel: chain.default ? `Default (${chain.default})` : 'Default' } };
        for (const k of kinds) this.specs.set(k.kind, withChoices(formFor(k.params), choices));
        this.set({ kinds, templates });
      })
      .catch((err: unknown) => {
        this.loading = null;
        this.set({ error: messageOf(err) });
      });
    return this.loading;
  }

  spec(kind: string): FormSpec | undefined {
    return this.specs.get(kind);
  }

  /** The draft of a workflow if it differs from its saved version, for the 3D chain to show. */
  changedDraft(workflowId: string): Draft | null {
    const d = this.view.draft;
    return d && d.workflowId === workflowId && this.view.dirty ? d : null;
  }

  async createFromTemplate(template: string): Promise<void> {
    await this.run(async () => this.take(await createWorkflow(this.worldId, template)));
  }

  /** Opens a workflow for editing (the 3D builder refuses to switch away from unsaved changes). */
  async select(workflowId: string): Promise<void> {
    if (this.view.draft?.workflowId === workflowId) return;
    await this.run(async () => this.take(await getWorkflow(workflowId)));
  }

  close(): void {
    this.set({ draft: null, dirty: false, error: '', notice: '', stale: false });
  }

  /** Applies an edit; an edit that would break the workflow is refused with a reason. */
  edit(change: (d: Draft) => Draft, structural = true): boolean {
    const draft = this.view.draft;
    if (!draft) return false;
    try {
      const next = change(draft);
      this.set({ draft: next, dirty: isDirty(next), error: this.view.stale ? this.view.error : '' }, structural);
      return true;
    } catch (err) {
      if (!(err instanceof DraftError)) throw err;
      this.set({ error: err.message });
      return false;
    }
  }

  /** Why another workflow cannot be opened now (unsaved changes to this one), or ''. */
  unsavedElsewhere(workflowId?: string): string {
    const draft = this.view.draft;
    return draft && this.view.dirty && draft.workflowId !== workflowId ? `Save or discard your changes to "${draft.definition.name}" first.` : '';
  }

  /** Edits a workflow from its 3D chain, opening it first if another one is open. */
  async editFromChain(workflowId: string, change: (d: Draft) => Draft): Promise<void> {
    if (this.view.draft?.workflowId !== workflowId) {
      const unsaved = this.unsavedElsewhere(workflowId);
      if (unsaved) return this.set({ error: unsaved });
      await this.select(workflowId);
    }
    this.edit(change);
  }

  async save(message: string): Promise<boolean> {
    const draft = this.view.draft;
    if (!draft) return false;
    let saved = false;
    await this.run(async () => {
      try {
        this.take(await saveWorkflow(draft.workflowId, draft.baseVersion, draft.definition, message.trim().slice(0, 500)));
        saved = true;
      } catch (err) {
        // the draft is left exactly as it was: nothing typed is lost
        if (err instanceof ApiError && err.status === 409) this.set({ error: err.message, stale: true });
        else throw err;
      }
    });
    return saved;
  }

  /** After a refusal: the draft's own changes re-applied on the newest version, to check and save. */
  async keepDraftOnLatest(): Promise<void> {
    const draft = this.view.draft;
    if (!draft) return;
    await this.run(async () => {
      const latest = await getWorkflow(draft.workflowId);
      const next = mergeOnto(this.view.draft ?? draft, latest.workflow.latestVersion, latest.current.definition);
      this.set({ draft: next, dirty: isDirty(next), latestVersion: latest.workflow.latestVersion, error: '', stale: false, notice: `Your changes are now applied to version ${latest.workflow.latestVersion}. Check them, then save.` });
    });
  }

  /** Drops the draft and loads the saved workflow again. */
  async discard(): Promise<void> {
    const draft = this.view.draft;
    if (!draft) return;
    await this.run(async () => this.take(await getWorkflow(draft.workflowId)));
  }

  /**
   * Called when the world's copy of a workflow changes. A clean draft follows it (so a person sees
   * another's saved edits live); a changed draft is kept and its author told.
   */
  worldChanged(workflowId: string, latestVersion: number | null): void {
    const draft = this.view.draft;
    if (!draft || draft.workflowId !== workflowId) return;
    if (latestVersion === null) {
      this.set({ notice: 'This workflow was deleted. Your draft is still here, but it cannot be saved.', latestVersion: 0 });
      return;
    }
    if (latestVersion === this.view.latestVersion) return;
    if (!this.view.dirty) {
      inBackground(this.run(async () => this.take(await getWorkflow(workflowId))), 'Opening the workflow');
      return;
    }
    this.set({ latestVersion, notice: `Someone saved version ${latestVersion} while you edit version ${draft.baseVersion}.` });
  }

  private take(snapshot: WorkflowSnapshot): void {
    // edits are checked against the newest version, even when an older one is current after a rollback
    const draft = newDraft(snapshot.workflow.id, snapshot.workflow.latestVersion, snapshot.current.definition);
    this.set({ draft, dirty: false, latestVersion: snapshot.workflow.latestVersion, error: '', stale: false, notice: '' });
  }

  private async run(task: () => Promise<void>): Promise<void> {
    this.set({ busy: true });
    try {
      await task();
    } catch (err) {
      this.set({ error: messageOf(err) });
    } finally {
      this.set({ busy: false });
    }
  }

  private set(changes: Partial<BuilderView>, structural = true): void {
    this.view = { ...this.view, ...changes };
    for (const l of this.listeners) l(this.view, structural);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong; try again.';
}
