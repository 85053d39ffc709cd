/** All document panels of the world, kept in step with the synchronised state. */
import type { Scene } from '@babylonjs/core/scene';
import type { DocumentState } from '../../shared/schema/WorldState';
import type { StateCallbacks, WorldSession } from '../net/session';
import { DocumentPanel, type Holder } from './DocumentPanel';

export class DocumentLayer {
  readonly panels = new Map<string, DocumentPanel>();
  private readonly content = new Map<string, string>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly scene: Scene,
    private readonly session: WorldSession,
    private readonly accent: string,
    /** Told about every change of a document (the drag controller watches for granted holds). */
    private readonly onDocumentChanged: (docId: string, heldBy: string) => void,
  ) {}

  attach(callbacks: StateCallbacks): void {
    this.unsubscribe.push(
      callbacks.onAdd('documents', (doc, id) => {
        const panel = new DocumentPanel(this.scene, id, this.accent);
        this.panels.set(id, panel);
        this.apply(id, doc);
        this.unsubscribe.push(callbacks.onChange(doc, () => this.apply(id, doc)));
      }),
      callbacks.onRemove('documents', (_doc, id) => {
        this.panels.get(id)?.dispose();
        this.panels.delete(id);
        this.content.delete(id);
      }),
    );
  }

  private apply(id: string, doc: DocumentState): void {
    const panel = this.panels.get(id);
    if (!panel) return;
    const content = `${doc.title}\u0000${doc.body}`;
    if (this.content.get(id) !== content) {
      this.content.set(id, content);
      panel.setContent(doc.title, doc.body);
    }
    panel.setTarget([doc.x, doc.y, doc.z], [doc.qx, doc.qy, doc.qz, doc.qw], doc.scale);
    this.onDocumentChanged(id, doc.heldBy);
  }

  /** Advances smoothing and refreshes holder badges (a holder's name may arrive after the hold). */
  update(dtMs: number): void {
    const { documents, participants } = this.session.state;
    for (const [id, panel] of this.panels) {
      const heldBy = documents.get(id)?.heldBy ?? '';
      const holder = heldBy ? participants.get(heldBy) : undefined;
      const badge: Holder | null = heldBy ? { name: holder?.name ?? 'someone', colour: holder?.colour || '#888888' } : null;
      panel.setHolder(badge);
      panel.update(dtMs);
    }
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
