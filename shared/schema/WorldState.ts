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
    /** Their role in this world (owner, editor, viewer): what the table in shared/model/roles lets them do. */
    role: t.string().default('editor'),
    /** This participant's number in the binary pose messages of a crowded world (shared/protocol/poseWire.ts). */
    n: t.uint16(),
    /** How they look: an AvatarLook (shared/protocol) as JSON, checked by the server; "" for the default made from their colour. */
    look: t.string().default(''),
    /** Whether their hand is raised (they asked to speak). */
    hand: t.boolean().default(false),
    /** Whether the owner gave them the megaphone: everyone in the world hears them. */
    megaphone: t.boolean().default(false),
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

/** A step of a workflow's current version, as the chain in the world shows it. */
export const ChainStepState = schema(
  {
    id: t.string(),
    kind: t.string(),
    name: t.string(),
  },
  'ChainStepState',
);
export type ChainStepState = SchemaType<typeof ChainStepState>;

/** A workflow that stands in this world as a chain of step nodes. */
export const WorkflowState = schema(
  {
    id: t.string(),
    name: t.string(),
    version: t.uint32(),
    latestVersion: t.uint32(),
    steps: t.array(ChainStepState),
  },
  'WorkflowState',
);
export type WorkflowState = SchemaType<typeof WorkflowState>;

/** Where one step of a run is. */
export const RunStepState = schema(
  {
    id: t.string(),
    status: t.string(),
    attempt: t.uint8(),
    /** Why it failed, or what it is waiting for. */
    detail: t.string(),
    /** What kind of thing a waiting step waits for ('approval', 'neural', 'delay', 'device'; '' when none). */
    waitingFor: t.string(),
    /** A document the step produced (e.g. a result panel), if any. */
    documentId: t.string(),
  },
  'RunStepState',
);
export type RunStepState = SchemaType<typeof RunStepState>;

/** A recent run of one of this world's workflows. */
export const RunState = schema(
  {
    id: t.string(),
    workflowId: t.string(),
    version: t.uint32(),
    status: t.string(),
    priority: t.string(),
    documentId: t.string(),
    steps: t.array(RunStepState),
    updatedAt: t.float64(),
  },
  'RunState',
);
export type RunState = SchemaType<typeof RunState>;

/** A prop standing in the world: a catalogue kind or one of the world's uploaded models. */
export const PropState = schema(
  {
    id: t.string(),
    kind: t.string(),
    x: t.float32(),
    y: t.float32(),
    z: t.float32(),
    qx: t.float32(),
    qy: t.float32(),
    qz: t.float32(),
    qw: t.float32().default(1),
    scale: t.float32().default(1),
    /** Participant id of whoever is moving it, or "". */
    heldBy: t.string().default(''),
  },
  'PropState',
);
export type PropState = SchemaType<typeof PropState>;

/** A model uploaded to this world to use as a prop; clients load it from the content route by hash. */
export const PropModelState = schema(
  {
    id: t.string(),
    name: t.string(),
    contentHash: t.string(),
  },
  'PropModelState',
);
export type PropModelState = SchemaType<typeof PropModelState>;

/**
 * A device's twin in this world (keyed by device id): where it stands or which prop it is, its scale
 * and alarm bounds, its command buttons, and its latest reading, at most IOT_TWIN_HZ times a second.
 */
export const TwinState = schema(
  {
    id: t.string(),
    name: t.string(),
    type: t.string(),
    metric: t.string(),
    unit: t.string(),
    /** The prop it is, or "" for a gauge of its own at x, y, z. */
    propId: t.string().default(''),
    x: t.float32(),
    y: t.float32(),
    z: t.float32(),
    yaw: t.float32(),
    min: t.float32(),
    max: t.float32().default(100),
    lowOn: t.boolean().default(false),
    low: t.float32(),
    highOn: t.boolean().default(false),
    high: t.float32(),
    /** The buttons: TwinCommand[] as JSON (label, name, params), checked by the server. */
    commands: t.string().default('[]'),
    value: t.float32().default(0),
    /** When the shown reading was taken, ms since 1970; 0 before the first. */
    at: t.number().default(0),
    alarm: t.boolean().default(false),
    online: t.boolean().default(false),
  },
  'TwinState',
);
export type TwinState = SchemaType<typeof TwinState>;

export const WorldState = schema(
  {
    worldId: t.string(),
    name: t.string(),
    template: t.string(),
    participants: t.map(ParticipantState),
    documents: t.map(DocumentState),
    annotations: t.map(AnnotationState),
    workflows: t.map(WorkflowState),
    runs: t.map(RunState),
    props: t.map(PropState),
    propModels: t.map(PropModelState),
    twins: t.map(TwinState),
  },
  'WorldState',
);
export type WorldState = SchemaType<typeof WorldState>;
