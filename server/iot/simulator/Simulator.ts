/**
 * The device simulator: thermostats, power meters and door sensors that run through the real
 * broker, for demos, tests and the bench. It signs in as the devices it registered for the world
 * before (kept in the data dir) and registers only those still missing, then runs each on its own
 * MQTT connection (SimulatedDevice) with the behaviour of models.ts.
 */
import { KIND_INFO, KIND_TWIN, SIMULATED_KINDS, createModel, seedOf, type CommandOutcome, type SimulatedKind } from './models';
import { credentialsPath, loadCredentials, saveCredentials } from './credentials';
import { SimulatedDevice, type DeviceStats } from './SimulatedDevice';
import { SimulatorError, serverApi, type DeviceCredentials } from './serverApi';
import type { CommandMessage } from '../../../shared/model/iot';

export { SimulatorError } from './serverApi';

export interface SimulatorOptions {
  /** The server's HTTP address, e.g. http://localhost:2567. */
  server: string;
  worldId: string;
  /** An access token or API key of an editor of the world; none in a world where guests may edit. */
  token?: string;
  /** How many of each kind to run. */
  counts: Partial<Record<SimulatedKind, number>>;
  /** Readings a second per device. */
  hz?: number;
  /** Send the compact binary form instead of JSON. */
  binary?: boolean;
  /** Where the devices' ids and keys are kept: `<dataDir>/simulator/<worldId>.json`. */
  dataDir: string;
  /** Where the simulator says what it does, a line at a time (the CLI prints them). */
  print?: (line: string) => void;
  /** Stand each device it registers in the world as a twin (default true); kept devices keep where people put them. */
  twins?: boolean;
  /** The power meters' offset from UTC in minutes (their day); UTC by default. */
  utcOffsetMin?: number;
}

export interface SimulatedDeviceInfo {
  id: string;
  kind: SimulatedKind;
  name: string;
  /** Whether it was registered by this run (false: kept from an earlier one). */
  registered: boolean;
}

export interface RunningSimulator {
  devices: SimulatedDeviceInfo[];
  /** What each device sent and had acknowledged so far, by device id. */
  stats(): Record<string, DeviceStats>;
  /** Resolves once every device is connected (after a restart of the server, again). */
  connected(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The most devices one run takes: a world holds at most 1000, and each is a connection. */
export const MAX_SIMULATED = 500;
/** Readings a second a device may send: the server's default allowance is 20. */
export const MAX_HZ = 20;

/** Where the n-th device's twin stands: rows of six along the far wall, 1.2 m apart. */
function twinPlace(n: number): [number, number, number] {
  return [-3 + (n % 6) * 1.2, 1.4, -3.5 - Math.floor(n / 6) * 1.2];
}

export async function startSimulator(o: SimulatorOptions): Promise<RunningSimulator> {
  const print = o.print ?? (() => undefined);
  const hz = o.hz ?? 1;
  if (!(hz > 0 && hz <= MAX_HZ)) throw new SimulatorError(`--hz is readings a second per device, above 0 and at most ${MAX_HZ}.`);
  const counts = SIMULATED_KINDS.map((kind) => [kind, o.counts[kind] ?? 0] as const);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  for (const [kind, c] of counts) if (!Number.isInteger(c) || c < 0) throw new SimulatorError(`The number of ${KIND_INFO[kind].label.toLowerCase()}s is a whole number, 0 or more.`);
  if (total === 0 || total > MAX_SIMULATED) throw new SimulatorError(`Run 1 to ${MAX_SIMULATED} devices in all (there were ${total}).`);

  const api = serverApi(o.server, o.token);
  const file = credentialsPath(o.dataDir, o.worldId);
  let kept = loadCredentials(file);
  // devices removed or revoked since, or kept for another server on the same world id, are dropped
  const live = await api.liveDeviceIds(o.worldId);
  if (live) {
    const gone = kept.filter((d) => !live.has(d.id));
    if (gone.length) print(`${gone.length} device(s) kept in ${file} are no longer in the world; registering new ones in their place`);
    kept = kept.filter((d) => live.has(d.id));
  }

  const chosen: SimulatedDeviceInfo[] = [];
  const credentials: DeviceCredentials[] = [];
  for (const [kind, count] of counts) {
    const ofKind = kept.filter((d) => d.kind === kind);
    for (let i = 0; i < count; i++) {
      let device = ofKind[i];
      const registered = !device;
      if (!device) {
        device = await api.register(o.worldId, kind, `${KIND_INFO[kind].label} ${i + 1}`);
        kept.push(device);
        // saved as each is made: a run cut short does not forget devices the world now has
        saveCredentials(file, o.server, o.worldId, kept);
        if ((o.twins ?? true) && !(await api.placeTwin(device.id, { ...KIND_TWIN[kind], position: twinPlace(credentials.length), yaw: 0 }))) print(`could not stand ${device.name} in the world as a twin`);
      }
      credentials.push(device);
      chosen.push({ id: device.id, kind, name: device.name, registered });
      print(`${registered ? 'registered' : 'reusing   '} ${device.id}  ${device.name} (${kind})`);
    }
  }

  // one broker address for every first connection; each device asks again only when it reconnects
  let firstUrl: string | null = await api.brokerUrl();
  const brokerUrl = async () => {
    const url = firstUrl ?? (await api.brokerUrl());
    firstUrl = null;
    return url;
  };
  const down = new Set<string>();
  let everUp = false;
  const onConnection = (device: DeviceCredentials, up: boolean, why?: string) => {
    if (up) {
      down.delete(device.id);
      if (everUp && down.size === 0) print(`all ${devices.length} devices are connected again`);
      return;
    }
    if (down.size === 0 && everUp) print(`lost the broker (${why}); reconnecting, waiting longer each time up to 30 s`);
    down.add(device.id);
  };
  const onCommand = (device: DeviceCredentials, command: CommandMessage, outcome: CommandOutcome) => {
    const answer = outcome.ok ? `done ${JSON.stringify(outcome.result)}` : `refused: ${outcome.error}`;
    print(`${device.name} (${device.id}): ${command.name} ${JSON.stringify(command.params ?? {})} → ${answer}`);
  };

  const devices = credentials.map(
    (device) =>
      new SimulatedDevice({ device, model: createModel(device.kind, seedOf(device.id), o.utcOffsetMin ?? 0), brokerUrl, hz, binary: o.binary ?? false, onCommand, onConnection }),
  );
  for (const d of devices) down.add(d.id);
  await Promise.all(devices.map((d) => d.start()));
  everUp = true;
  const refused = devices.filter((d) => d.refused);
  if (refused.length) print(`${refused.length} device(s) were refused by the broker (${refused[0]!.refused}); delete ${file} to register new ones`);
  const up = devices.filter((d) => d.connected).length;
  print(`${up} of ${devices.length} devices connected, each sending ${hz} reading(s) a second${o.binary ? ' in the binary form' : ''}`);

  return {
    devices: chosen,
    stats: () => Object.fromEntries(devices.map((d) => [d.id, { ...d.stats }])),
    async connected(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (devices.some((d) => !d.connected && !d.refused)) {
        if (Date.now() > deadline) throw new SimulatorError(`${devices.filter((d) => !d.connected).length} device(s) did not connect within ${timeoutMs} ms.`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await Promise.all(devices.map((d) => d.stop()));
    },
  };
}
