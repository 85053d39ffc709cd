/**
 * Persists a world room's accepted changes. Writes run one at a time in the order they were
 * accepted; placements of documents being dragged are coalesced and written on a short tick,
 * everything else (drops, pages, notes) is written at once. The layout of props is one record,
 * rewritten whole: on the tick while a prop is dragged, at once when one is put down, added or removed.
 */
import type { AnnotationRecord, Placement } from '../../shared/model/documents';
import type { WorldState } from '../../shared/schema/WorldState';
import type { Store } from '../adapters/storage/Store';
import type { Logger } from '../log';
import { serial } from '../serial';
import { layoutOf } from './propSync';
import type { Persist } from './stateSync';

export class WorldWriter {
  private readonly dirtyPlacements = new Set<string>();
  private readonly writes = serial();
  private readonly noteCreated = new Map<string, string>();
  /** The layout changed since it was last written (a prop being dragged). */
  private layoutDirty = false;

  constructor(
    private readonly worldId: string,
    private readonly state: WorldState,
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Records what an applied effect changed and writes it (now or on the next flush). */
  persist(change: Persist): void {
    switch (change.kind) {
      case 'none':
        return;
      case 'placement':
        this.dirtyPlacements.add(change.docId);
        return;
      case 'dropped':
        this.dirtyPlacements.add(change.docId);
        this.writePlacements();
        return;
      case 'view': {
        const d = this.state.documents.get(change.docId);
        if (d) this.enqueue(`page of ${change.docId}`, () => this.store.saveDocumentView(change.docId, { page: d.page, spread: d.spread }));
        return;
      }
      case 'notePut': {
        const note = this.noteRecord(change.noteId);
        if (note) this.enqueue(`note ${change.noteId}`, () => this.store.putAnnotation(note));
        return;
      }
      case 'noteDelete':
        this.noteCreated.delete(change.noteId);
        this.enqueue(`deleting note ${change.noteId}`, () => this.store.deleteAnnotation(this.worldId, change.noteId).then(() => undefined));
        return;
      case 'layout':
        this.layoutDirty = true;
        if (change.now) this.writeLayout();
        return;
      default: {
        const unreachable: never = change;
        throw new Error(`unhandled change ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Remembers when stored notes were created, so rewriting one keeps its creation time. */
  knowNote(note: AnnotationRecord): void {
    this.noteCreated.set(note.id, note.createdAt);
  }

  /** Forgets pending placement writes of a document that no longer exists. */
  forget(docId: string): void {
    this.dirtyPlacements.delete(docId);
  }

  private noteRecord(id: string): AnnotationRecord | undefined {
    const n = this.state.annotations.get(id);
    if (!n) return undefined;
    const now = new Date().toISOString();
    const createdAt = this.noteCreated.get(id) ?? now;
    this.noteCreated.set(id, createdAt);
    return { id, worldId: this.worldId, documentId: n.documentId, page: n.page, u: n.u, v: n.v, text: n.text, colour: n.colour, author: n.author, createdAt, updatedAt: now };
  }

  /** Queues a write; a failed write is logged and does not hold up the ones after it. */
  private enqueue(what: string, write: () => Promise<void>): void {
    this.writes(write).catch((err: unknown) => this.log.error({ err, what }, 'could not save a change'));
  }

  /** Writes pending placements; resolves once everything accepted so far is on disk. */
  flush(): Promise<void> {
    this.writePlacements();
    this.writeLayout();
    // queued behind every write so far, so it ends when they have
    return this.writes(async () => undefined);
  }

  /** Writes the whole layout as it is now; a later change while this waits is written by the next. */
  private writeLayout(): void {
    if (!this.layoutDirty) return;
    this.layoutDirty = false;
    const props = layoutOf(this.state);
    this.enqueue('the layout', async () => {
      try {
        await this.store.saveLayout(this.worldId, props);
      } catch (err) {
        this.layoutDirty = true;
        throw err;
      }
    });
  }

  private writePlacements(): void {
    if (this.dirtyPlacements.size === 0) return;
    const placements: Placement[] = [];
    for (const id of this.dirtyPlacements) {
      const d = this.state.documents.get(id);
      if (d) placements.push({ id, position: [d.x, d.y, d.z], rotation: [d.qx, d.qy, d.qz, d.qw], scale: d.scale });
    }
    this.dirtyPlacements.clear();
    this.enqueue('document placements', async () => {
      try {
        await this.store.savePlacements(this.worldId, placements);
      } catch (err) {
        // keep them for the next tick rather than losing a placement to a passing failure
        for (const p of placements) this.dirtyPlacements.add(p.id);
        throw err;
      }
    });
  }
}
