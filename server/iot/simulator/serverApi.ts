/**
 * What the simulator asks of the server over REST: who the world's devices are, registering new
 * ones, and where the broker listens. Every refusal becomes a SimulatorError that says what to do.
 */
import { KIND_INFO, type SimulatedKind } from './models';

/** A failure the person running the simulator can act on; its message says how. */
export class SimulatorError extends Error {
  override name = 'SimulatorError';
}

/** A device the simulator runs, with the key it signs in with. */
export interface DeviceCredentials {
  id: string;
  key: string;
  kind: SimulatedKind;
  name: string;
}

interface Reply {
  status: number;
  body: { error?: { message?: string } } & Record<string, unknown>;
}

export interface ServerApi {
  /** Ids of the world's devices that are not revoked, or null when the caller may not list them. */
  liveDeviceIds(worldId: string): Promise<Set<string> | null>;
  register(worldId: string, kind: SimulatedKind, name: string): Promise<DeviceCredentials>;
  /** Stands the device in its world as a twin; false when the server would not (no right to, or an older server). */
  placeTwin(deviceId: string, twin: Record<string, unknown>): Promise<boolean>;
  /** The broker's TCP address as this machine reaches the server (mqtt://host:port). */
  brokerUrl(): Promise<string>;
}

export function serverApi(server: string, token: string | undefined): ServerApi {
  const base = server.replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(base).hostname;
  } catch {
    throw new SimulatorError(`"${server}" is not a server address; pass --server like http://localhost:2567`);
  }

  async function call(method: string, route: string, body?: unknown): Promise<Reply> {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v3${route}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new SimulatorError(`Cannot reach the server at ${base} (${why}): is it running (npm start)? Pass --server with its address if it is elsewhere.`);
    }
    const text = await res.text();
    let parsed: Reply['body'] = {};
    try {
      parsed = text ? (JSON.parse(text) as Reply['body']) : {};
    } catch {
      // not our server, or a proxy's error page: the status says enough
    }
    return { status: res.status, body: parsed };
  }

  const refusal = (reply: Reply, worldId: string, doing: string): SimulatorError => {
    const said = reply.body.error?.message ?? `HTTP ${reply.status}`;
    switch (reply.status) {
      case 401:
        return new SimulatorError(`${doing} needs an editor of world "${worldId}": pass --token of an editor (an access token or an API key). The server said: ${said}`);
      case 403:
        return new SimulatorError(`${doing} was not allowed: pass --token of an editor of world "${worldId}" (an API key also needs the iot:write scope). The server said: ${said}`);
      case 404:
        return new SimulatorError(`There is no world "${worldId}" on ${base}: check the id (it is in the world's link, #/w/<id>). The server said: ${said}`);
      default:
        return new SimulatorError(`${doing} failed with HTTP ${reply.status}: ${said}`);
    }
  };

  return {
    async liveDeviceIds(worldId) {
      const reply = await call('GET', `/iot/devices?world=${encodeURIComponent(worldId)}`);
      if (reply.status === 404) throw refusal(reply, worldId, 'Listing devices');
      if (reply.status !== 200) return null;
      const devices = (reply.body.devices ?? []) as Array<{ id: string; revoked: boolean }>;
      return new Set(devices.filter((d) => !d.revoked).map((d) => d.id));
    },

    async register(worldId, kind, name) {
      const reply = await call('POST', '/iot/devices', { worldId, name, type: kind, model: KIND_INFO[kind].model, metadata: { simulated: 'yes' } });
      if (reply.status !== 201) throw refusal(reply, worldId, 'Registering a device');
      const device = reply.body.device as { id: string };
      return { id: device.id, key: reply.body.key as string, kind, name };
    },

    async placeTwin(deviceId, twin) {
      return (await call('PUT', `/iot/devices/${encodeURIComponent(deviceId)}/twin`, twin)).status === 200;
    },

    async brokerUrl() {
      const reply = await call('GET', '/iot/broker');
      if (reply.status !== 200) throw new SimulatorError(`Asking ${base} where its MQTT broker is failed with HTTP ${reply.status}: ${reply.body.error?.message ?? ''}`);
      const tcp = (reply.body.addresses as Array<{ transport: string; port: number; urls: string[] }> | undefined)?.find((a) => a.transport === 'tcp');
      if (!tcp) throw new SimulatorError(`${base} runs no MQTT broker over TCP: start it with MQTT_PORT set (not "off").`);
      // the broker is on the server's machine: reach it by the name we reach the server by, which
      // works from another machine too (the broker's own list starts with localhost)
      const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
      return `mqtt://${name}:${tcp.port}`;
    },
  };
}
