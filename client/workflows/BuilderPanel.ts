/**
 * The 2D builder: a side panel over the canvas (desktop) to create chains from templates, pick one,
 * add, remove and reorder its steps, edit their parameters in forms generated from each kind's
 * schema, save as a new version with a message, and start a run on a document. It edits the same
 * draft as the buttons on the 3D nodes (BuilderStore).
 */
import { h, replaceChildren } from '../ui/kit/dom';
import type { BuilderStore, BuilderView } from './BuilderStore';
import { addStep, moveStep, removeStep, renameStep, renameWorkflow, setParams } from './draft';
import { kindName } from './kindNames';
import { paramForm } from './paramForm';
import { initialParams } from './schemaForm';
import { inBackground } from '../ui/kit/background';

export interface WorldWorkflows {
  workflows: { id: string; name: string; version: number; latestVersion: number }[];
  documents: { id: string; title: string }[];
}

export interface BuilderPanelOptions {
  store: BuilderStore;
  world(): WorldWorkflows;
  startRun(workflowId: string, documentId: string | undefined): void;
}

export class BuilderPanel {
  readonly element: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly chains = h('ul', { class: 'wf-chains', 'data-testid': 'wf-chains' });
  private readonly editor = h('div', { class: 'wf-editor' });
  private readonly status = h('p', { class: 'muted', 'data-testid': 'wf-version' });
  private readonly error = h('p', { class: 'error', role: 'alert', 'data-testid': 'wf-error' });
  private readonly notice = h('p', { class: 'wf-notice', 'data-testid': 'wf-notice' });
  private readonly templates = h('select', { 'data-testid': 'wf-template', 'aria-label': 'Template' });
  private readonly runDoc = h('select', { 'data-testid': 'wf-run-doc', 'aria-label': 'Document to run on' });
  // kept across re-renders, so a refused save does not wipe what was typed
  private readonly message = h('input', { 'data-testid': 'wf-message', placeholder: 'What changed (saved with the version)', maxlength: '500' });
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: BuilderPanelOptions) {
    this.toggle = h('button', { type: 'button', class: 'wf-toggle', 'data-testid': 'workflows-toggle', 'aria-expanded': 'false' }, 'Workflows');
    this.toggle.addEventListener('click', () => this.setOpen(this.element.hidden));
    const create = h('button', { type: 'button', 'data-testid': 'wf-create' }, 'Create chain');
    create.addEventListener('click', () => {
      if (this.templates.value) inBackground(opts.store.createFromTemplate(this.templates.value), 'Creating the workflow');
    });
    const close = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Close the builder' }, '×');
    close.addEventListener('click', () => this.setOpen(false));
    this.element = h(
      'aside',
      { class: 'wf-panel', 'data-testid': 'workflow-panel', 'aria-label': 'Workflow builder', hidden: true },
      h('header', { class: 'row' }, h('h2', {}, 'Workflows'), close),
      h('div', { class: 'row' }, this.templates, create),
      this.chains,
      this.editor,
    );
    this.unsubscribe = opts.store.subscribe((view, structural) => (structural ? this.render(view) : this.renderStatus(view)));
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      inBackground(this.opts.store.loadCatalogue(), 'Loading the workflows');
      this.refreshWorld();
    }
  }

  /** Brings a step of the open draft into view. */
  reveal(stepId: string): void {
    const step = [...this.element.querySelectorAll<HTMLElement>('[data-testid="wf-step"]')].find((e) => e.dataset.stepId === stepId);
    step?.scrollIntoView({ block: 'nearest' });
    step?.querySelector<HTMLInputElement>('[data-testid="wf-step-name"]')?.focus({ preventScroll: true });
  }

  /** Call when the world's workflows or documents change. */
  refreshWorld(): void {
    const { workflows, documents } = this.opts.world();
    const selected = this.opts.store.state.draft?.workflowId;
    replaceChildren(
      this.chains,
      ...workflows.map((w) => {
        const b = h('button', { type: 'button', class: w.id === selected ? 'wf-chain selected' : 'wf-chain secondary', 'data-testid': 'wf-item', 'data-workflow-id': w.id }, `${w.name} · v${w.version}`);
        b.addEventListener('click', () => inBackground(this.opts.store.select(w.id), 'Opening the workflow'));
        return h('li', {}, b);
      }),
    );
    if (!workflows.length) this.chains.append(h('li', { class: 'muted' }, 'No chains in this world yet.'));
    const keep = this.runDoc.value;
    replaceChildren(this.runDoc, ...documents.map((d) => h('option', { value: d.id }, d.title || d.id)));
    if (documents.some((d) => d.id === keep)) this.runDoc.value = keep;
  }

  private render(view: BuilderView): void {
    if (this.templates.options.length !== view.templates.length) {
      replaceChildren(this.templates, ...view.templates.map((t) => h('option', { value: t.id, title: t.description }, t.title)));
    }
    this.refreshWorld();
    const draft = view.draft;
    this.renderStatus(view);
    if (!draft) {
      replaceChildren(this.editor, this.error);
      return;
    }
    const store = this.opts.store;
    const name = h('input', { 'data-testid': 'wf-name', 'aria-label': 'Workflow name', maxlength: '80' });
    name.value = draft.definition.name;
    name.addEventListener('input', () => store.edit((d) => renameWorkflow(d, name.value), false));

    const steps = h('ol', { class: 'wf-steps' });
    draft.definition.steps.forEach((step, i) => {
      const stepName = h('input', { 'data-testid': 'wf-step-name', 'aria-label': `Name of step ${i + 1}`, maxlength: '80' });
      stepName.value = step.name;
      stepName.addEventListener('input', () => store.edit((d) => renameStep(d, i, stepName.value), false));
      const button = (label: string, testId: string, title: string, action: () => void) => {
        const b = h('button', { type: 'button', class: 'secondary', 'data-testid': testId, title, 'aria-label': title }, label);
        b.addEventListener('click', action);
        return b;
      };
      const kind = kindName(step.kind, view.kinds);
      steps.append(
        h(
          'li',
          { 'data-testid': 'wf-step', 'data-step-id': step.id },
          h('div', { class: 'wf-kind', 'data-testid': 'wf-step-kind', 'data-kind': step.kind }, kind.title),
          kind.description ? h('p', { class: 'wf-kind-description' }, kind.description) : null,
          h('label', { class: 'wf-step-name' }, 'Step name', stepName),
          h(
            'div',
            { class: 'row wf-step-actions' },
            button('↑', 'wf-step-up', 'Move earlier', () => store.edit((d) => moveStep(d, i, -1))),
            button('↓', 'wf-step-down', 'Move later', () => store.edit((d) => moveStep(d, i, 1))),
            button('✕', 'wf-step-remove', 'Remove this step', () => store.edit((d) => removeStep(d, i))),
          ),
          paramForm({ spec: store.spec(step.kind), params: step.params, prefix: `wf-param-${step.id}`, change: (p, structural) => store.edit((d) => setParams(d, i, p), structural) }),
        ),
      );
    });

    const kind = h('select', { 'data-testid': 'wf-add-kind', 'aria-label': 'Kind of step to add' }, ...view.kinds.map((k) => h('option', { value: k.kind, title: k.description }, k.title)));
    const kindHelp = h('p', { class: 'wf-kind-description', 'data-testid': 'wf-add-kind-description' });
    const describeKind = () => (kindHelp.textContent = view.kinds.find((k) => k.kind === kind.value)?.description ?? '');
    kind.addEventListener('change', describeKind);
    describeKind();
    const add = h('button', { type: 'button', 'data-testid': 'wf-add-step' }, 'Add step');
    add.addEventListener('click', () => {
      const info = view.kinds.find((k) => k.kind === kind.value);
      const spec = store.spec(kind.value);
      if (info) store.edit((d) => addStep(d, info.kind, info.title, spec ? initialParams(spec) : {}));
    });

    const message = this.message;
    const save = h('button', { type: 'button', 'data-testid': 'wf-save', disabled: view.busy }, 'Save as new version');
    save.addEventListener('click', () => inBackground(store.save(message.value).then((ok) => ok && (message.value = '')), 'Saving the workflow'));
    const discard = h('button', { type: 'button', class: 'secondary', 'data-testid': 'wf-discard' }, 'Discard draft');
    discard.addEventListener('click', () => inBackground(store.discard(), 'Discarding the draft'));
    const keep = h('button', { type: 'button', class: 'secondary', 'data-testid': 'wf-rebase', hidden: !view.stale }, 'Apply my changes to the newest version');
    keep.addEventListener('click', () => inBackground(store.keepDraftOnLatest(), 'Applying your changes'));

    const run = h('button', { type: 'button', 'data-testid': 'wf-run' }, 'Start run');
    run.addEventListener('click', () => this.opts.startRun(draft.workflowId, this.runDoc.value || undefined));

    replaceChildren(
      this.editor,
      h('label', {}, 'Name', name),
      this.status,
      this.notice,
      steps,
      h('div', { class: 'row' }, kind, add),
      kindHelp,
      h('label', {}, 'Save', message),
      h('div', { class: 'row wf-save-row' }, save, discard),
      this.error,
      keep,
      h('h3', {}, 'Run'),
      h('p', { class: 'muted' }, 'Or drop a document on the first node of the chain.'),
      h('div', { class: 'row' }, this.runDoc, run),
    );
  }

  private renderStatus(view: BuilderView): void {
    const draft = view.draft;
    this.status.textContent = draft ? `Editing version ${draft.baseVersion}${view.latestVersion > draft.baseVersion ? ` (newest: ${view.latestVersion})` : ''}${view.dirty ? ' · unsaved changes' : ' · saved'}` : '';
    this.error.textContent = view.error;
    this.notice.textContent = view.notice;
    this.notice.hidden = !view.notice;
  }

  dispose(): void {
    this.unsubscribe();
    this.element.remove();
    this.toggle.remove();
  }
}
