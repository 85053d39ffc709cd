/** The IoT routes a twin's panel uses (/api/v3/iot/devices/:id/…), with the person's own sign-in. */
import { request } from '../net/api';
import type { TwinCommand } from '../../shared/model/iot';
import type { ChartSample, CommandAnswer } from './twinLook';

/** How long a pressed command waits for the device's answer before the panel says "sent". */
export const COMMAND_WAIT_MS = 5000;
/** Raw readings asked for at most; a busier device's hour is read in minutes instead. */
const RAW_LIMIT = 2000;

interface Samples {
  samples: Array<{ t: number; v: number; min: number; max: number; n: number }>;
}

const devicePath = (deviceId: string) => `/iot/devices/${encodeURIComponent(deviceId)}`;

/**
 * A metric's readings from `from` until now, oldest first: every reading when there are not too
 * many, else per-minute means with their extremes (a cut raw series would lose the newest).
 */
export async function recentHistory(deviceId: string, metric: string, from: number): Promise<ChartSample[]> {
  const query = (resolution: 'raw' | '1m', limit: number) => request<Samples>(`${devicePath(deviceId)}/telemetry?metric=${encodeURIComponent(metric)}&from=${Math.floor(from)}&resolution=${resolution}&limit=${limit}`);
  let { samples } = await query('raw', RAW_LIMIT);
  if (samples.length >= RAW_LIMIT) ({ samples } = await query('1m', 1000));
  // a bucket's time is its start: its mean is drawn in its middle
  return samples.map((s) => (s.n > 1 ? { t: s.t + 30_000, v: s.v, min: s.min, max: s.max } : { t: s.t, v: s.v }));
}

/** Gives the device a command and waits up to COMMAND_WAIT_MS for its answer. */
export async function giveCommand(deviceId: string, command: TwinCommand): Promise<CommandAnswer> {
  const reply = await request<{ command: CommandAnswer }>(`${devicePath(deviceId)}/commands?wait=${COMMAND_WAIT_MS}`, { method: 'POST', body: JSON.stringify({ name: command.name, params: command.params }) });
  return reply.command;
}
