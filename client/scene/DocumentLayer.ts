/**
 * All documents of the world, kept in step with the synchronised state: paged documents as panels,
 * models as models, each with the notes pinned on it. Content is fetched once per content hash and
 * shared; each panel's face is drawn at a sharpness matched to how large it appears (see
 * sharpness.ts), the one read up close on a texture of its own.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { AnnotationState, DocumentState } from '../../shared/schema/WorldState';
import { SourceLibrary } from '../content/SourceLibrary';
import { isPagedKind } from '../content/pageSource';
import { ContentStore } from '../net/content';
import type { StateCallbacks, WorldSession } from '../net/session';
import { DocumentModel } from './DocumentModel';
import { DocumentPanel } from './DocumentPanel';
import type { FaceNote } from './PanelFace';
import { ATLAS_MAX_TIER, chooseTier, grantCloseUps, projectedPagePx, type CloseUpCandidate } from './sharpness';
import { PanelKit } from './panelKit';
import type { Holder, PlacedDocument } from './PlacedDocument';

/** Panels drawn on a close-up texture of their own at once (each may take tens of megabytes). */
const MAX_CLOSE_UPS = 1;

/**
 * Screen pixels per metre at one metre from the eye: from the projection of the camera that draws
 * (in XR, an eye of the headset) and the height of what it draws into.
 */
export function focalLengthPx(camera: Camera): number {
  const eye = camera.rigCameras[0] ?? camera;
  const engine = camera.getEngine();
  const target = eye.outputRenderTarget;
  const height = (target ? target.getRenderHeight() : engine.getRenderHeight()) * eye.viewport.height;
  return (Math.abs(eye.getProjectionMatrix().m[5] ?? 1) * height) / 2;
}

export class DocumentLayer {
  readonly documents = new Map<string, PlacedDocument>();
  readonly content = new ContentStore();
  private readonly library = new SourceLibrary(this.content, () => this.camera?.globalPosition ?? null);
  private readonly kit: PanelKit;
  private readonly notesDirty = new Set<string>();
  /** The tier each panel would have by its size on screen alone (before close-ups are shared out). */
  private readonly tiers = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  private camera: Camera | null = null;

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
          ? new DocumentPanel(this.scene, id, this.kit, this.library, (page, spread) => this.session.turnPage(id, page, spread))
          : new DocumentModel(this.scene, id, this.content, doc.contentHash, doc.title);
        this.documents.set(id, placed);
        this.apply(id, doc);
        this.notesDirty.add(id);
        this.unsubscribe.push(callbacks.onChange(doc, () => this.apply(id, doc)));
      }),
      callbacks.onRemove('documents', (_doc, id) => {
        this.documents.get(id)?.dispose();
        this.documents.delete(id);
        this.tiers.delete(id);
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
      if (this.camera) placed.face.setTier(Math.min(ATLAS_MAX_TIER, this.sizeUp(id, placed, this.camera, focalLengthPx(this.camera)).tier));
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

  /** Per frame: notes that changed, holder badges, smoothing, and texture sharpness by size on screen. */
  /** Faces are waiting to be drawn, which happens as frames are drawn. */
  get drawing(): boolean {
    return this.kit.faces.working;
  }

  update(dtMs: number, camera: Camera): void {
    this.camera = camera;
    this.pushNotes();
    const { documents, participants } = this.session.state;
    for (const [id, placed] of this.documents) {
      const heldBy = documents.get(id)?.heldBy ?? '';
      const holder = heldBy ? participants.get(heldBy) : undefined;
      const badge: Holder | null = heldBy ? { name: holder?.name ?? 'someone', colour: holder?.colour || '#888888' } : null;
      placed.setHolder(badge);
      placed.update(dtMs);
    }
    this.updateSharpness(camera);
  }

  /** A panel's page width on screen and the tier it wants for it, remembered for the hysteresis of the next choice. */
  private sizeUp(id: string, panel: DocumentPanel, camera: Camera, focalPx: number): { tier: number; projectedPx: number } {
    const projectedPx = projectedPagePx(panel.pageWidthMetres, Vector3.Distance(panel.position, camera.globalPosition), focalPx);
    const tier = chooseTier(projectedPx, this.tiers.get(id) ?? null);
    this.tiers.set(id, tier);
    return { tier, projectedPx };
  }

  private updateSharpness(camera: Camera): void {
    const focalPx = focalLengthPx(camera);
    const candidates: CloseUpCandidate[] = [];
    for (const [id, placed] of this.documents) {
      if (!(placed instanceof DocumentPanel)) continue;
      const { tier, projectedPx } = this.sizeUp(id, placed, camera, focalPx);
      // only a panel that wants a close-up is asked whether it is in view (the rest need not be)
      candidates.push({ id, tier, projectedPx, inView: tier > ATLAS_MAX_TIER && placed.inView(camera) });
    }
    for (const [id, tier] of grantCloseUps(candidates, MAX_CLOSE_UPS)) this.panel(id)?.face.setTier(tier);
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
