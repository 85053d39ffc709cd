/**
 * Props: the furniture and objects that make a world a place. A world's layout is data (the list of
 * its placed props, written as one record) stored with the world beside the prop models its people
 * uploaded; a world whose layout was never written shows its template's. The catalogue names the models every server ships in `assets/kits/`.
 */
import type { Quat, Vec3 } from '../protocol';
import type { WorldTemplateId } from './worlds';

export const PROP_CATEGORIES = ['furniture', 'display', 'light', 'nature'] as const;
export type PropCategory = (typeof PROP_CATEGORIES)[number];

export interface CatalogueProp {
  name: string;
  category: PropCategory;
  /** The model's file in `assets/kits/`, served at `/assets/kits/<file>`. */
  file: string;
  /** Size of its bounding box at scale 1 (width x, height y, depth z), in metres; the model stands on y = 0, centred on x and z. */
  size: Vec3;
}

/**
 * The props every server ships. Models are built by `scripts/buildAssets.mjs` to these sizes,
 * standing on the floor (y = 0) and facing +z (the side a person uses: a chair's seat, a screen's
 * face, a lectern's reading slope).
 */
export const PROP_CATALOGUE = {
  desk: { name: 'Desk', category: 'furniture', file: 'desk.glb', size: [1.4, 0.75, 0.7] },
  chair: { name: 'Chair', category: 'furniture', file: 'chair.glb', size: [0.5, 0.9, 0.5] },
  'meeting-table': { name: 'Meeting table', category: 'furniture', file: 'meeting-table.glb', size: [3, 0.75, 1.2] },
  sofa: { name: 'Sofa', category: 'furniture', file: 'sofa.glb', size: [2, 0.85, 0.85] },
  bench: { name: 'Bench', category: 'furniture', file: 'bench.glb', size: [1.8, 0.45, 0.45] },
  shelf: { name: 'Shelf', category: 'furniture', file: 'shelf.glb', size: [1.2, 1.8, 0.35] },
  whiteboard: { name: 'Whiteboard', category: 'display', file: 'whiteboard.glb', size: [2.4, 2, 0.1] },
  screen: { name: 'Big screen', category: 'display', file: 'screen.glb', size: [3.2, 2.6, 0.3] },
  plinth: { name: 'Plinth', category: 'display', file: 'plinth.glb', size: [0.6, 1, 0.6] },
  lectern: { name: 'Lectern', category: 'display', file: 'lectern.glb', size: [0.6, 1.15, 0.5] },
  lamp: { name: 'Floor lamp', category: 'light', file: 'lamp.glb', size: [0.45, 1.7, 0.45] },
  spotlight: { name: 'Spotlight', category: 'light', file: 'spotlight.glb', size: [0.25, 0.5, 0.35] },
  plant: { name: 'Plant', category: 'nature', file: 'plant.glb', size: [0.6, 1.3, 0.6] },
  tree: { name: 'Tree', category: 'nature', file: 'tree.glb', size: [2.2, 4, 2.2] },
} as const satisfies Record<string, CatalogueProp>;
export type CatalogueKind = keyof typeof PROP_CATALOGUE;
export const CATALOGUE_KINDS = Object.keys(PROP_CATALOGUE) as CatalogueKind[];

export function isCatalogueKind(kind: string): kind is CatalogueKind {
  return Object.prototype.hasOwnProperty.call(PROP_CATALOGUE, kind);
}

/** One prop standing in a world. `kind` is a catalogue kind or the id of one of the world's uploaded models. */
export interface PropRecord {
  id: string;
  kind: string;
  position: Vec3;
  rotation: Quat;
  scale: number;
}

/** A model someone uploaded to use as a prop in one world; its id is `u-` and the start of its hash. */
export interface UploadedPropKind {
  id: string;
  worldId: string;
  name: string;
  /** sha256 of the .glb, hex: stored and served like document content. */
  contentHash: string;
  size: number;
  triangles: number;
  uploadedBy: string;
  createdAt: string;
}


/** Props one world may hold: enough for a furnished hall, few enough to draw in budget. */
export const MAX_PROPS = 400;
/** Uploaded models one world may hold. */
export const MAX_UPLOADED_KINDS = 32;
/** Steps of one's own changes the server keeps for undo. */
export const UNDO_DEPTH = 20;
/** What an uploaded prop model may be: the server refuses it with the reason otherwise. */
export const PROP_UPLOAD_LIMITS = {
  bytes: 8 * 1024 * 1024,
  triangles: 100_000,
  /** Largest texture side, in pixels. */
  textureSide: 2048,
  textures: 16,
} as const;

/** A prop a template places in every new world it makes; ids are given when the world is made. */
export type PropPlacement = Omit<PropRecord, 'id'>;

const yaw = (degrees: number): Quat => {
  const half = (degrees * Math.PI) / 360;
  return [0, Math.sin(half), 0, Math.cos(half)];
};
const at = (kind: CatalogueKind, x: number, z: number, turn = 0, y = 0, scale = 1): PropPlacement => ({ kind, position: [x, y, z], rotation: yaw(turn), scale });

/**
 * The furnished layout each template starts with. The room is 16 m square (x and z from -8 to 8),
 * people arrive near (0, 2.5) looking towards -z, and the template's sample documents stand around
 * z = -4; props keep clear of both.
 */
export const TEMPLATE_LAYOUTS: Record<WorldTemplateId, PropPlacement[]> = {
  office: [
    at('meeting-table', 0, -1.4),
    at('chair', -1, -0.6, 180), at('chair', 0, -0.6, 180), at('chair', 1, -0.6, 180),
    at('chair', -1, -2.2), at('chair', 0, -2.2), at('chair', 1, -2.2),
    at('whiteboard', 0, -7.85, 0, 0.6),
    at('desk', -6.6, -3, 90), at('chair', -5.9, -3, -90),
    at('desk', -6.6, 0, 90), at('chair', -5.9, 0, -90),
    at('desk', -6.6, 3, 90), at('chair', -5.9, 3, -90),
    at('shelf', 3, 7.75, 180), at('shelf', 4.4, 7.75, 180),
    at('sofa', 6.8, 3, -90),
    at('screen', 7.7, -1.5, -90, 0.2),
    at('plant', -7.3, -7.3), at('plant', 7.3, -7.3), at('plant', 7.3, 7.3), at('plant', -7.3, 7.3),
    at('lamp', 6.9, 5),
  ],
  gallery: [
    at('plinth', -2.5, -1.5), at('plinth', 2.5, -1.5), at('plinth', 0, 1.5, 0, 0, 0.8),
    at('spotlight', 0, -7.7, 0, 3.4), at('spotlight', -7.7, 0, 90, 3.4), at('spotlight', 7.7, 0, -90, 3.4),
    at('spotlight', -4, -7.7, 0, 3.4), at('spotlight', 4, -7.7, 0, 3.4),
    at('bench', 0, 4.5), at('bench', -4, 0, 90), at('bench', 4, 0, -90),
    at('plant', -7.3, 7.3), at('plant', 7.3, 7.3),
  ],
  classroom: [
    at('screen', 0, -7.7, 0, 0.3),
    at('lectern', -2.6, -5.6, 30),
    ...[-3.2, -1.6, 0, 1.6, 3.2].flatMap((x) => [-1, 0.6, 2.2].flatMap((z) => [at('desk', x, z - 0.5, 0, 0, 0.7), at('chair', x, z, 180)])),
    at('whiteboard', -7.85, 0, 90, 0.6),
    at('shelf', 7.75, 3, -90), at('shelf', 7.75, 4.4, -90),
    at('plant', 7.3, -7.3), at('plant', -7.3, 7.3),
  ],
  plaza: [
    at('tree', -5.5, -5.5), at('tree', 5.5, -5.5), at('tree', -5.5, 5.5), at('tree', 5.5, 5.5),
    at('bench', -5.5, -2.5, 90), at('bench', 5.5, -2.5, -90), at('bench', -5.5, 2.5, 90), at('bench', 5.5, 2.5, -90),
    at('lamp', -3, -6.5), at('lamp', 3, -6.5), at('lamp', -3, 6.5), at('lamp', 3, 6.5),
    at('plant', -1.5, -6.8), at('plant', 1.5, -6.8),
  ],
  studio: [],
};

/** The props a new world of this template starts with, numbered p1, p2, … */
export function templateLayout(template: WorldTemplateId): PropRecord[] {
  return TEMPLATE_LAYOUTS[template].map((p, i) => ({ id: `p${i + 1}`, ...p }));
}
