/**
 * All documents of the world, kept in step with the synchronised state: paged documents as panels,
 * models as models, each with the notes pinned on it. Content is fetched once per content hash and
 * shared; panels near the eye get sharper textures than those across the room.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { AnnotationState, DocumentState } from '../../shared/schema/WorldState';
import { SourceLibrary } from '../content/SourceLibrary';
import { isPagedKind } from '../content/pageSource';
import { ContentStore } from '../net/content';
import type { StateCallbacks, WorldSession } from '../net/session';
import { DocumentModel } from './DocumentModel';
import { DocumentPanel } from './DocumentPanel';
import { FAR_PAGE_PX, NEAR_PAGE_PX, type FaceNote } from './PanelFace';
import { PanelKit } from './panelKit';
import type { Holder, PlacedDocument } from './PlacedDocument';

/** Closer than this (in metres, per unit of scale) a panel gets the sharp texture; farther than FAR, the light one. */
const NEAR_DISTANCE = 3.5;
const FAR_DISTANCE = 4.5;

export class DocumentLayer {
  readonly documents = new Map<string, PlacedDocument>();
  readonly content = new ContentStore();
  private readonly library = new SourceLibrary(this.content);
  private readonly kit: PanelKit;
  private readonly notesDirty = new Set<string>();
  private readonly near = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];
  private lastEye: Vector3 | null = null;

  constructor(
    private readonly scene: Scene,
    private readonly session: WorldSession,
    /** Told about every change of a document (the drag controller watches for granted holds). */
    private readonly onDocumentChanged: (docId: string, heldBy: string) => void,
  ) {
    this.kit = new PanelKit(scene);
  }

  /** The panel of a paged document, if it is one. */
  panel(docId: string): DocumentPanel | undefined {
    const d = this.documents.get(docId);
    return d instanceof DocumentPanel ? d : undefined;
  }

  attach(callbacks: StateCallbacks): void {
    this.unsubscribe.push(
      callbacks.onAdd('documents', (doc, id) => {
        const kind = doc.kind;
        const placed = isPagedKind(kind)
          ? new DocumentPanel(this.scene, id, this.kit, this.library)
          : new DocumentModel(this.scene, id, this.content, doc.contentHash, doc.title);
        this.documents.set(id, placed);
        this.apply(id, doc);
        this.notesDirty.add(id);
        this.unsubscribe.push(callbacks.onChange(doc, () => this.apply(id, doc)));
      }),
      callbacks.onRemove('documents', (_doc, id) => {
        this.documents.get(id)?.dispose();
        this.documents.delete(id);
        this.near.delete(id);
      }),
      callbacks.onAdd('annotations', (note) => {
        this.notesDirty.add(note.documentId);
        this.unsubscribe.push(callbacks.onChange(note, () => this.notesDirty.add(note.documentId)));
      }),
      callbacks.onRemove('annotations', (note) => this.notesDirty.add(note.documentId)),
    );
  }

  private apply(id: string, doc: DocumentState): void {
    const placed = this.documents.get(id);
    if (!placed) return;
    placed.setTarget([doc.x, doc.y, doc.z], [doc.qx, doc.qy, doc.qz, doc.qw], doc.scale);
    if (placed instanceof DocumentPanel && isPagedKind(doc.kind)) {
      // a new panel learns how sharp to be before its first drawing, so it is not drawn twice
      if (this.lastEye) this.updateSharpness(id, placed, this.lastEye);
      placed.setDocument({ id, kind: doc.kind, contentHash: doc.contentHash, title: doc.title, body: doc.body, page: doc.page, spread: doc.spread });
    }
    this.onDocumentChanged(id, doc.heldBy);
  }

  /** The notes on one document, as its face draws them. */
  notesOf(docId: string): AnnotationState[] {
    const out: AnnotationState[] = [];
    this.session.state.annotations.forEach((n) => n.documentId === docId && out.push(n));
    return out;
  }

  private pushNotes(): void {
    for (const docId of this.notesDirty) {
      const panel = this.panel(docId);
      const notes: FaceNote[] = this.notesOf(docId).map((n) => ({ id: n.id, page: n.page, u: n.u, v: n.v, text: n.text, colour: n.colour || '#ffd54f' }));
      panel?.setNotes(notes);
    }
    this.notesDirty.clear();
  }

  /** Per frame: notes that changed, holder badges, smoothing, and texture sharpness by distance. */
  update(dtMs: number, eye: Vector3): void {
    (this.lastEye ??= eye.clone()).copyFrom(eye);
    this.pushNotes();
    const { documents, participants } = this.session.state;
    for (const [id, placed] of this.documents) {
      const heldBy = documents.get(id)?.heldBy ?? '';
      const holder = heldBy ? participants.get(heldBy) : undefined;
      const badge: Holder | null = heldBy ? { name: holder?.name ?? 'someone', colour: holder?.colour || '#888888' } : null;
      placed.setHolder(badge);
      placed.update(dtMs);
      if (placed instanceof DocumentPanel) this.updateSharpness(id, placed, eye);
    }
  }

  private updateSharpness(id: string, panel: DocumentPanel, eye: Vector3): void {
    const d = Vector3.Distance(panel.position, eye) / Math.max(0.25, panel.scale);
    // two thresholds, so a panel at the boundary does not flip between textures as you sway
    const isNear = this.near.has(id) ? d < FAR_DISTANCE : d < NEAR_DISTANCE;
    if (isNear) this.near.add(id);
    else this.near.delete(id);
    panel.face.setPageWidth(isNear ? NEAR_PAGE_PX : FAR_PAGE_PX);
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    for (const placed of this.documents.values()) placed.dispose();
    this.documents.clear();
    this.library.dispose();
    this.content.clear();
    this.kit.dispose();
  }
}
