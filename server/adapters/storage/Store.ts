/**
 * The storage interface every backend implements: the embedded LevelDB store by default, MongoDB
 * when MONGODB_URI is set. Both pass the same contract suite (storeContract.ts).
 */
import type { AnnotationRecord, DocumentRecord, DocumentView, Placement } from '../../../shared/model/documents';
import type { PropRecord, UploadedPropKind } from '../../../shared/model/props';
import type { WorldRecord } from '../../../shared/model/worlds';

export interface Store {
  /** Opens the backend (creating what it needs); call once before anything else. */
  open(): Promise<void>;
  close(): Promise<void>;

  listWorlds(): Promise<WorldRecord[]>;
  getWorld(id: string): Promise<WorldRecord | undefined>;
  /** Creates a world together with its initial documents, all or nothing. */
  createWorld(world: WorldRecord, documents: DocumentRecord[]): Promise<void>;

  listDocuments(worldId: string): Promise<DocumentRecord[]>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  addDocument(doc: DocumentRecord): Promise<void>;
  /** Deletes a document and its annotations; false when there was no such document. */
  deleteDocument(id: string): Promise<boolean>;
  /** Saves where documents stand; ids that are not documents of that world are ignored. */
  savePlacements(worldId: string, placements: Placement[]): Promise<void>;
  saveDocumentView(id: string, view: DocumentView): Promise<void>;
  /** Every content hash some document still refers to (for clearing out unused content). */
  referencedHashes(): Promise<Set<string>>;

  listAnnotations(worldId: string): Promise<AnnotationRecord[]>;
  /** Creates or replaces an annotation. */
  putAnnotation(note: AnnotationRecord): Promise<void>;
  deleteAnnotation(worldId: string, id: string): Promise<boolean>;

  /** The world's props; undefined for a world whose layout was never written (it shows its template's). */
  getLayout(worldId: string): Promise<PropRecord[] | undefined>;
  /** Replaces the world's whole layout in one write (only its room writes it while the room is open). */
  saveLayout(worldId: string, props: PropRecord[]): Promise<void>;
  /** Models uploaded to the world to use as props, oldest first. */
  listPropModels(worldId: string): Promise<UploadedPropKind[]>;
  /** Adds (or replaces, by id) an uploaded prop model. */
  putPropModel(model: UploadedPropKind): Promise<void>;
}
