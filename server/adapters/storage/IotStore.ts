/**
 * Devices, their telemetry as time series (raw points, and minute and hour rollups kept as they
 * arrive), and the commands sent to them.
 */
import type { CommandState, TwinConfig, UpdateState } from '../../../shared/model/iot';

export interface DeviceRecord {
  id: string;
  worldId: string;
  name: string;
  /** What kind of device it is (`thermostat`, `power_meter`…): devices of a type share firmware. */
  type: string;
  model: string;
  metadata: Record<string, string>;
  /** sha256 of the device key, hex; the key itself is shown once and never stored. */
  keyHash: string;
  /** The key's first characters, so a person can tell which key a device has. */
  keyHint: string;
  createdAt: string;
  createdBy: string | null;
  /** When the device last sent anything (kept at most every few seconds, not per message). */
  lastSeen: string | null;
  /** The firmware version the device last reported. */
  firmwareVersion: string | null;
  /** Set when the key was revoked: the device is refused until it gets a new one. */
  revokedAt: string | null;
  /** How it stands in its world as a twin; absent or null: not shown there. */
  twin?: TwinConfig | null;
}

export const RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const BUCKET_MS: Record<Exclude<Resolution, 'raw'>, number> = { '1m': 60_000, '1h': 3600_000 };

export interface TelemetryPoint {
  deviceId: string;
  metric: string;
  /** ms since the epoch */
  t: number;
  v: number;
}

/** A raw point (n = 1) or a bucket: its start, mean, extremes and how many points it holds. */
export interface TelemetrySample {
  t: number;
  v: number;
  min: number;
  max: number;
  n: number;
}

export interface TelemetryQuery {
  deviceId: string;
  metric: string;
  /** ms, inclusive */
  from: number;
  /** ms, exclusive */
  to: number;
  resolution: Resolution;
  limit: number;
}

export interface CommandRecord {
  /** Sorts by time. */
  id: string;
  deviceId: string;
  worldId: string;
  name: string;
  params: Record<string, unknown>;
  state: CommandState;
  createdAt: string;
  createdBy: string | null;
  /** Not delivered after this, and marked expired. */
  expiresAt: string;
  /** How long the device has to answer once it was sent, in ms. */
  timeoutMs: number;
  sentAt: string | null;
  answeredAt: string | null;
  result?: unknown;
  error?: string;
}

/** A firmware image uploaded to a world for devices of one type; its bytes are content, by sha256. */
export interface FirmwareRecord {
  id: string;
  worldId: string;
  type: string;
  version: string;
  sha256: string;
  size: number;
  notes: string;
  createdAt: string;
  createdBy: string | null;
}

/** One device's update to one image, as it moves on (UPDATE_STATES in shared/model/iot.ts). */
export interface UpdateRecord {
  /** Sorts by time. */
  id: string;
  deviceId: string;
  worldId: string;
  firmwareId: string;
  version: string;
  sha256: string;
  state: UpdateState;
  /** 0–100, as the device last reported. */
  progress: number;
  /** The version the device ran when the update was given (what a rollback goes back to). */
  fromVersion: string | null;
  rollback: boolean;
  createdAt: string;
  updatedAt: string;
  error?: string;
}

export interface IotStore {
  putFirmware(firmware: FirmwareRecord): Promise<void>;
  getFirmware(id: string): Promise<FirmwareRecord | undefined>;
  /** The world's images, oldest first. */
  listFirmware(worldId: string): Promise<FirmwareRecord[]>;
  putUpdate(update: UpdateRecord): Promise<void>;
  /** A device's updates, newest first, at most `limit`. */
  updatesOf(deviceId: string, limit: number): Promise<UpdateRecord[]>;

  putDevice(device: DeviceRecord): Promise<void>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  /** The world's devices, oldest first. */
  listDevices(worldId: string): Promise<DeviceRecord[]>;
  /** Deletes a device with its commands, firmware updates and telemetry; false when there was none. */
  deleteDevice(id: string): Promise<boolean>;

  /**
   * Stores raw points and folds them into their minute and hour buckets, all or nothing. One writer
   * at a time (the server's telemetry writer): buckets are read, merged and written back.
   */
  appendTelemetry(points: readonly TelemetryPoint[]): Promise<void>;
  /** Samples of one metric in [from, to), oldest first, at most `limit`. */
  queryTelemetry(query: TelemetryQuery): Promise<TelemetrySample[]>;
  /** The metrics a device has sent (at the minute resolution), by name. */
  metricsOf(deviceId: string): Promise<string[]>;
  /** Deletes every sample of a resolution older than `before` (ms), series by series. */
  pruneTelemetry(resolution: Resolution, before: number): Promise<void>;

  putCommand(command: CommandRecord): Promise<void>;
  getCommand(id: string): Promise<CommandRecord | undefined>;
  /** A device's commands not yet answered (queued or sent), oldest first. */
  openCommands(deviceId: string): Promise<CommandRecord[]>;
  /** A device's newest commands first, at most `limit`. */
  recentCommands(deviceId: string, limit: number): Promise<CommandRecord[]>;
}
