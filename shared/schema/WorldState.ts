/**
 * The synchronised state of a world room. The server owns it; clients decode it (the SDK can also
 * decode it by reflection, so the client does not have to import these classes).
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

/** A tracked pose: position in metres and rotation quaternion. */
export const PoseState = schema(
  {
    px: t.float32(),
    py: t.float32(),
    pz: t.float32(),
    qx: t.float32(),
    qy: t.float32(),
    qz: t.float32(),
    qw: t.float32().default(1),
    /** false while the device does not track this part (e.g. no hands on a desktop). */
    tracked: t.boolean().default(false),
  },
  'PoseState',
);
export type PoseState = SchemaType<typeof PoseState>;

export const ParticipantState = schema(
  {
    id: t.string(),
    name: t.string(),
    colour: t.string(),
    device: t.string(),
    head: PoseState,
    left: PoseState,
    right: PoseState,
    /** Whether the participant's connection is currently up (false while it may reconnect). */
    connected: t.boolean().default(true),
  },
  'ParticipantState',
);
export type ParticipantState = SchemaType<typeof ParticipantState>;

export const DocumentState = schema(
  {
    id: t.string(),
    title: t.string(),
    kind: t.string(),
    mime: t.string(),
    size: t.number(),
    /** sha256 of the content: clients cache what they render by it. */
    contentHash: t.string(),
    /** The start of a text document's content, shown until the full content has loaded. */
    body: t.string(),
    page: t.uint32().default(1),
    spread: t.uint8().default(1),
    x: t.float32(),
    y: t.float32(),
    z: t.float32(),
    qx: t.float32(),
    qy: t.float32(),
    qz: t.float32(),
    qw: t.float32().default(1),
    scale: t.float32().default(1),
    /** Participant id of the holder, or "" when nobody holds it. */
    heldBy: t.string().default(""),
  },
  'DocumentState',
);
export type DocumentState = SchemaType<typeof DocumentState>;

export const AnnotationState = schema(
  {
    id: t.string(),
    documentId: t.string(),
    page: t.uint32(),
    u: t.float32(),
    v: t.float32(),
    text: t.string(),
    colour: t.string(),
    author: t.string(),
  },
  'AnnotationState',
);
export type AnnotationState = SchemaType<typeof AnnotationState>;

export const WorldState = schema(
  {
    worldId: t.string(),
    name: t.string(),
    template: t.string(),
    participants: t.map(ParticipantState),
    documents: t.map(DocumentState),
    annotations: t.map(AnnotationState),
  },
  'WorldState',
);
export type WorldState = SchemaType<typeof WorldState>;
