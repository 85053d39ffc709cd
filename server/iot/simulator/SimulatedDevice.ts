/**
 * One simulated device on the broker: signs in with its id and key, reports its firmware, publishes
 * its model's readings at QoS 1 at a steady rate, answers its commands, and when the connection
 * goes (the server restarted) comes back with growing waits until it is stopped.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, encodeBinaryTelemetry, type CommandAck, type CommandMessage } from '../../../shared/model/iot';
import { KIND_INFO, type CommandOutcome, type DeviceModel } from './models';
import type { DeviceCredentials } from './serverApi';

export interface SimulatedDeviceOptions {
  device: DeviceCredentials;
  model: DeviceModel;
  /** Where the broker is now (asked again before each reconnection: its port may have changed). */
  brokerUrl(): Promise<string>;
  hz: number;
  binary: boolean;
  /** Told of each command answered. */
  onCommand(device: DeviceCredentials, command: CommandMessage, outcome: CommandOutcome): void;
  /** Told when the device connects (true) and loses its connection (false). */
  onConnection(device: DeviceCredentials, up: boolean, why?: string): void;
  now?: () => number;
}

/** The first wait before reconnecting, and the longest. */
export const RECONNECT_MS = { first: 1000, max: 30_000 } as const;
/** Readings sent and not yet acknowledged past which a tick is skipped: a slow broker is not buried. */
const MAX_IN_FLIGHT = 20;
/** Command ids remembered, so one sent again after a reconnection is answered without acting twice. */
const REMEMBERED_COMMANDS = 100;

/** CONNACK codes that no retry can cure: the device is unknown, its key wrong or revoked. */
const REFUSED: Record<number, string> = { 2: 'its client id was refused', 4: 'the server does not know it', 5: 'its key is wrong or revoked' };

export interface DeviceStats {
  sent: number;
  acknowledged: number;
  failed: number;
  skipped: number;
  commands: number;
}

export class SimulatedDevice {
  readonly stats: DeviceStats = { sent: 0, acknowledged: 0, failed: 0, skipped: 0, commands: 0 };
  /** Why the device gave up for good (refused by the broker), or null while it runs. */
  refused: string | null = null;
  private client: MqttClient | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastStep: number;
  private inFlight = 0;
  private readonly answered = new Map<string, CommandOutcome>();
  private readonly now: () => number;

  constructor(private readonly o: SimulatedDeviceOptions) {
    this.now = o.now ?? Date.now;
    this.lastStep = this.now();
  }

  get id(): string {
    return this.o.device.id;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and keeps connecting; resolves once the first attempt settled (connected or failed). */
  start(): Promise<void> {
    let settled!: () => void;
    const first = new Promise<void>((resolve) => (settled = resolve));
    this.running = this.keepConnected(settled);
    return first;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    this.stopTicking();
    if (client) {
      // a moment for readings in flight to be acknowledged, then the connection goes either way
      for (const until = Date.now() + 2000; this.inFlight > 0 && client.connected && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      await client.endAsync(true);
    }
    await this.running;
  }

  private async keepConnected(settled: () => void): Promise<void> {
    let wait: number = RECONNECT_MS.first;
    while (!this.stopped) {
      let why = '';
      try {
        const client = await this.connect(await this.o.brokerUrl());
        settled();
        wait = RECONNECT_MS.first;
        this.o.onConnection(this.o.device, true);
        why = await this.serve(client);
      } catch (err) {
        settled();
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'number' && REFUSED[code]) {
          this.refused = REFUSED[code];
          this.o.onConnection(this.o.device, false, this.refused);
          return;
        }
        why = (err as Error).message;
      }
      if (this.stopped) return;
      this.o.onConnection(this.o.device, false, why);
      // jitter, so devices that lost the same server do not all knock at the same instant
      await this.sleep(wait * (0.75 + Math.random() * 0.5));
      wait = Math.min(wait * 2, RECONNECT_MS.max);
    }
  }

  private connect(url: string): Promise<MqttClient> {
    const { id, key } = this.o.device;
    // reconnection is ours (with backoff and a fresh broker address), not the library's
    const client = mqtt.connect(url, { clientId: id, username: id, password: key, clean: true, reconnectPeriod: 0, connectTimeout: 5000, keepalive: 30 });
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        client.removeAllListeners();
        client.on('error', () => undefined);
        client.end(true);
        reject(err);
      };
      client.once('connect', () => {
        client.removeListener('error', fail);
        client.removeListener('close', closed);
        resolve(client);
      });
      const closed = () => fail(new Error('the broker closed the connection'));
      client.once('error', fail);
      client.once('close', closed);
    });
  }

  /** Runs the device on a connection; resolves with why, when it closes. */
  private async serve(client: MqttClient): Promise<string> {
    this.client = client;
    let why = 'the connection closed';
    const closed = new Promise<string>((resolve) => {
      client.on('error', (err) => (why = err.message));
      client.once('close', () => resolve(why));
    });
    const commands = deviceTopic(this.id, 'commands');
    client.on('message', (topic, payload) => {
      if (topic === commands) this.answer(client, payload);
    });
    try {
      const granted = await client.subscribeAsync(commands, { qos: 1 });
      if (granted.some((g) => g.qos === 128)) why = 'the broker refused its commands topic';
      this.publish(client, 'status', JSON.stringify({ firmware: KIND_INFO[this.o.model.kind].firmware }));
      this.lastStep = this.now();
      this.timer = setInterval(() => this.tick(client), 1000 / this.o.hz);
    } catch (err) {
      // the connection went while subscribing: the close below says so
      why = (err as Error).message;
    }
    const reason = await closed;
    this.stopTicking();
    this.client = null;
    return reason;
  }

  private tick(client: MqttClient): void {
    if (!client.connected) return;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.stats.skipped++;
      return;
    }
    this.report(client);
  }

  /** Steps the model to now and publishes what it reads. */
  private report(client: MqttClient): void {
    const now = this.now();
    const values = this.o.model.step(now - this.lastStep, now);
    this.lastStep = now;
    if (this.o.binary) this.publish(client, 'telemetry/bin', Buffer.from(encodeBinaryTelemetry(values, now)), true);
    else this.publish(client, 'telemetry', JSON.stringify({ ts: now, values }), true);
  }

  private publish(client: MqttClient, channel: 'telemetry' | 'telemetry/bin' | 'status' | 'commands/ack', payload: string | Buffer, counted = false): void {
    if (counted) {
      this.stats.sent++;
      this.inFlight++;
    }
    client.publish(deviceTopic(this.id, channel), payload, { qos: 1 }, (err) => {
      if (!counted) return;
      this.inFlight--;
      if (err) this.stats.failed++;
      else this.stats.acknowledged++;
    });
  }

  private answer(client: MqttClient, payload: Buffer): void {
    let command: CommandMessage;
    try {
      command = JSON.parse(payload.toString('utf8')) as CommandMessage;
      if (typeof command.id !== 'string' || typeof command.name !== 'string') throw new Error('not a command');
    } catch {
      return;
    }
    let outcome = this.answered.get(command.id);
    const again = outcome !== undefined;
    if (!outcome) {
      const expired = Date.parse(command.expiresAt) < this.now();
      outcome = expired ? { ok: false, error: 'it expired before it arrived' } : this.o.model.command(command.name, command.params ?? {});
      this.answered.set(command.id, outcome);
      if (this.answered.size > REMEMBERED_COMMANDS) this.answered.delete(this.answered.keys().next().value!);
    }
    const ack: CommandAck = outcome.ok ? { id: command.id, ok: true, result: outcome.result } : { id: command.id, ok: false, error: outcome.error };
    this.publish(client, 'commands/ack', JSON.stringify(ack));
    if (again) return;
    this.stats.commands++;
    this.o.onCommand(this.o.device, command, outcome);
    // a changed setpoint shows at once, not at the next tick
    if (outcome.ok) this.report(client);
  }

  private stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((this.wake = null), resolve()), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
