/** What the IoT routes and intents accept, checked at the boundary. */
import { z } from 'zod';
import { EntityId } from '../../shared/protocol';
import { METRIC_NAME } from '../../shared/model/iot';
import { RESOLUTIONS } from '../adapters/storage/IotStore';

const Label = z.string().trim().min(1).max(80);
const Word = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(200))
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 entries');

const Finite = z.number().min(-1e9).max(1e9);
const CommandName = z.string().trim().min(1).max(40).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'a letter, then letters, digits, _ . -');
const Params = z.record(z.string().max(40), z.unknown()).refine((p) => JSON.stringify(p).length <= 2048, 'at most 2 KB of parameters');

export const RegisterDevice = z.strictObject({
  worldId: EntityId,
  name: Label,
  type: Word.default('generic'),
  model: z.string().trim().max(80).default(''),
  metadata: Metadata.default({}),
});

export const ChangeDevice = z
  .strictObject({ name: Label, type: Word, model: z.string().trim().max(80), metadata: Metadata })
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'say what to change: name, type, model or metadata');

/** The longest a command waits for a device's answer once sent, and for the device to come back. */
export const COMMAND_LIMITS = { timeoutMs: { min: 500, max: 120_000, default: 10_000 }, ttlMs: { min: 1_000, max: 7 * 24 * 3600_000, default: 3600_000 } } as const;

export const SendCommand = z.strictObject({
  name: CommandName,
  params: Params.default({}),
  timeoutMs: z.number().int().min(COMMAND_LIMITS.timeoutMs.min).max(COMMAND_LIMITS.timeoutMs.max).default(COMMAND_LIMITS.timeoutMs.default),
  ttlMs: z.number().int().min(COMMAND_LIMITS.ttlMs.min).max(COMMAND_LIMITS.ttlMs.max).default(COMMAND_LIMITS.ttlMs.default),
});


/** How a device stands in its world (TwinConfig in shared/model/iot.ts). */
export const SetTwin = z
  .strictObject({
    metric: z.string().regex(METRIC_NAME, 'a metric name'),
    label: z.string().trim().max(40).default(''),
    unit: z.string().trim().max(12).default(''),
    propId: z.union([EntityId, z.literal('')]).default(''),
    // within the room a world is drawn in
    position: z.tuple([z.number().min(-50).max(50), z.number().min(0).max(10), z.number().min(-50).max(50)]).default([0, 1.4, -2]),
    yaw: z.number().min(-7).max(7).default(0),
    min: Finite.default(0),
    max: Finite.default(100),
    alarmLow: Finite.nullable().default(null),
    alarmHigh: Finite.nullable().default(null),
    commands: z.array(z.strictObject({ label: z.string().trim().min(1).max(24), name: CommandName, params: Params.default({}) })).max(6).default([]),
  })
  .refine((t) => t.max > t.min, { message: '"max" must be above "min"', path: ['max'] })
  .refine((t) => t.alarmLow === null || t.alarmHigh === null || t.alarmHigh > t.alarmLow, { message: '"alarmHigh" must be above "alarmLow"', path: ['alarmHigh'] });

/** The fields sent ahead of a firmware image. */
export const FirmwareFields = z.strictObject({
  world: EntityId,
  type: Word,
  version: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.+-]+$/, 'letters, digits and _ . + - (such as 1.4.2)'),
  /** What the uploader computed: the image is refused unless its bytes hash to it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits').optional(),
  notes: z.string().max(500).default(''),
});

export const RollOut = z
  .strictObject({ devices: z.array(z.string().min(1).max(80)).min(1).max(1000).optional(), allOfType: z.literal(true).optional() })
  .refine((r) => (r.devices === undefined) !== (r.allOfType === undefined), 'name the devices, or say allOfType: true, not both');

/** The most samples one telemetry query answers. */
export const QUERY_LIMIT = 5000;

export const TelemetryRange = z.strictObject({
  metric: z.string().regex(METRIC_NAME, 'a metric name'),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(QUERY_LIMIT).default(1000),
});

export { parse } from '../validate';
