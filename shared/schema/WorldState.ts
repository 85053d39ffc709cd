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
    /** Short text shown on the panel. */
    body: t.string(),
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

export const WorldState = schema(
  {
    worldId: t.string(),
    name: t.string(),
    template: t.string(),
    participants: t.map(ParticipantState),
    documents: t.map(DocumentState),
  },
  'WorldState',
);
export type WorldState = SchemaType<typeof WorldState>;
