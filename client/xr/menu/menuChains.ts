/**
 * The menu's part in building chains: the templates a new chain is made from, and the step a
 * person picked by pressing its node, with the kinds it can become. Creating and changing go
 * through the same builder as the page's panel and the node buttons; each outcome is toasted.
 */
import type { ChainBuilding } from '../../workflows/Workflows';
import { inBackground } from '../../ui/kit/background';
import { toast } from '../../ui/kit/toast';
import type { MenuData } from './menuModel';

export class MenuChains {
  /** The step picked on its chain, while the menu shows its kinds. */
  picked: { workflowId: string; stepId: string } | null = null;

  constructor(
    private readonly builder: ChainBuilding | null,
    /** Something the menu shows changed (the catalogue came, a chain was made). */
    private readonly changed: () => void,
  ) {}

  /** Fetches templates and kinds once, for the Chains tab. */
  load(): void {
    if (!this.builder) return;
    inBackground(this.builder.loadCatalogue().then(this.changed), 'Loading the templates');
  }

  data(): Pick<MenuData, 'templates' | 'step'> {
    const b = this.builder;
    if (!b) return { templates: [], step: null };
    const templates = b.templates().map((t) => ({ id: t.id, title: t.title }));
    const p = this.picked;
    const shown = p ? b.step(p.workflowId, p.stepId) : null;
    const kinds = b.kinds().map((k) => ({ kind: k.kind, title: k.title }));
    return { templates, step: p && shown ? { ...p, ...shown, kinds } : null };
  }

  create(template: string, title: string): void {
    if (!this.builder) return;
    const made = this.builder.createFromTemplate(template).then((refusal) => {
      if (refusal) return toast(refusal, 'error');
      toast(`New chain “${title}” stands in the room.`);
      this.changed();
    });
    inBackground(made, 'Making the chain');
  }

  /** Makes the picked step another kind; `done` runs when the chain shows the change. */
  changeKind(workflowId: string, stepId: string, kind: string, title: string, done: () => void): void {
    if (!this.builder) return;
    const changing = this.builder.changeKind(workflowId, stepId, kind).then((refusal) => {
      if (refusal) return toast(refusal, 'error');
      this.picked = null;
      toast(`That step is now “${title}”. Press Save on the chain to keep it.`);
      done();
    });
    inBackground(changing, 'Changing the step');
  }
}
