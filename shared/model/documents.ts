/** Documents and annotations as stored, and the rules for what may be uploaded. */
import type { Quat, Vec3 } from '../protocol';

export const DOCUMENT_KINDS = ['markdown', 'text', 'pdf', 'image', 'model'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What a person sees in an error message for each kind. */
export const KIND_LABELS: Record<DocumentKind, string> = {
  markdown: 'Markdown',
  text: 'plain text',
  pdf: 'PDF',
  image: 'PNG or JPEG image',
  model: 'glTF/GLB model',
};

/** File name extensions that promise a kind; used only to catch files whose name lies. */
export const EXTENSION_KINDS: Record<string, DocumentKind> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  pdf: 'pdf',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gltf: 'model',
  glb: 'model',
};

export interface DocumentRecord {
  id: string;
  worldId: string;
  title: string;
  kind: DocumentKind;
  mime: string;
  size: number;
  /** sha256 of the content, hex; the content is stored under this name. */
  contentHash: string;
  position: Vec3;
  rotation: Quat;
  scale: number;
  /** Page shown on the panel, 1-based. */
  page: number;
  /** Pages shown side by side (1 = single page). */
  spread: number;
  createdAt: string;
  createdBy: string;
}

export type Placement = Pick<DocumentRecord, 'id' | 'position' | 'rotation' | 'scale'>;
export type DocumentView = Pick<DocumentRecord, 'page' | 'spread'>;

export const MAX_SPREAD = 4;
export const MAX_NOTE_LENGTH = 500;
/** The colours a note may be given from the page and the in-world menu. */
export const NOTE_COLOURS = ['#ffd54f', '#ff8a80', '#80d8ff', '#b9f6ca', '#ea80fc'] as const;
export const MAX_TITLE_LENGTH = 120;

export interface AnnotationRecord {
  id: string;
  worldId: string;
  documentId: string;
  page: number;
  /** Where the note is pinned on the page, 0..1 from the top-left corner. */
  u: number;
  v: number;
  text: string;
  colour: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

/** Makes a title from an uploaded file name: no path, no extension, no control characters. */
export function titleFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[A-Za-z0-9]{1,10}$/, '');
  const clean = stem.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_TITLE_LENGTH);
  return clean || 'Untitled';
}

/** The kind a file name promises, if its extension is one we know. */
export function kindFromFileName(name: string): DocumentKind | undefined {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? EXTENSION_KINDS[m[1]!.toLowerCase()] : undefined;
}
