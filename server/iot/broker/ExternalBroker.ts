/**
 * An external MQTT broker (MQTT_URL) instead of the embedded one. The server connects as a client,
 * takes what devices publish under `dwc/+/…` and publishes commands and notices to them. Who may
 * connect as which device is the broker's to enforce; with a Mosquitto broker running its dynamic
 * security plugin (MQTT_DEVICE_AUTH=dynsec) the server keeps it so itself: each device becomes a broker
 * client with its key as password and a role allowing its own topics only (dynsec.ts).
 *
 * A broker does not tell its clients who else is connected, so a device says so itself: `{"online":
 * true}` on its `status` once subscribed, and a will of `{"online": false}` (docs/iot.md).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { DEVICE_PUBLISHES, deviceTopic, parseDeviceTopic, type PublishChannel, type SubscribeChannel } from '../../../shared/model/iot';
import type { Logger } from '../../log';
import { DeviceMessageError, OncePerSecond, UnknownDeviceError, type Broker, type BrokerAddress, type DeviceGate } from './Broker';
import { Dynsec } from './dynsec';

export interface ExternalBrokerOptions {
  url: string;
  username?: string;
  password?: string;
  /** Keep devices as clients of the broker's dynamic security plugin. */
  dynsec: boolean;
  /**
   * One of several processes of a site: what devices send is taken by one process each (an MQTT
   * shared subscription), while every process hears who is online (it may be asked to send them a command).
   */
  shared?: boolean;
  /**
   * Whether this process hands a device what waited for it (open commands, a firmware notice) when
   * it comes online. Every process of a site hears it come online; one of them does this.
   */
  deliversOnReturn?: () => boolean;
  log: Logger;
}

/** The shared subscription's group: every process of a site is in it. */
const SITE_GROUP = '$share/dwc-site/';

export class ExternalBroker implements Broker {
  private client: MqttClient | null = null;
  private dynsec: Dynsec | null = null;
  private readonly online = new Set<string>();
  private readonly told = new OncePerSecond();

  constructor(private readonly o: ExternalBrokerOptions) {}

  async start(gate: DeviceGate): Promise<void> {
    const log = this.o.log;
    let client: MqttClient;
    try {
      client = await mqtt.connectAsync(this.o.url, {
        clientId: `dwc-server-${Math.random().toString(36).slice(2, 10)}`,
        ...(this.o.username ? { username: this.o.username } : {}),
        ...(this.o.password ? { password: this.o.password } : {}),
        clean: true,
        reconnectPeriod: 2000,
        connectTimeout: 10_000,
      });
    } catch (err) {
      throw new Error(`Could not connect to the MQTT broker at MQTT_URL (${err instanceof Error ? err.message : String(err)}). Check the URL, MQTT_USERNAME and MQTT_PASSWORD, or unset MQTT_URL to use the embedded broker.`);
    }
    this.client = client;
    client.on('error', (err) => log.warn({ err: err.message }, 'MQTT broker connection error'));
    client.on('reconnect', () => log.info('reconnecting to the MQTT broker'));
    if (this.o.dynsec) {
      this.dynsec = new Dynsec(client, log);
      await this.dynsec.start(this.o.username ?? '');
    }
    client.on('message', (topic, payload) => {
      const target = parseDeviceTopic(topic);
      if (!target || !(DEVICE_PUBLISHES as readonly string[]).includes(target.channel)) return;
      const { deviceId, channel } = target;
      // only a device of ours says it is online, once its message was taken
      gate.receive(deviceId, channel as PublishChannel, payload).then(
        () => channel === 'status' && this.noteOnline(gate, deviceId, payload),
        (err: unknown) => {
          if (err instanceof UnknownDeviceError) return log.debug({ deviceId: deviceId.slice(0, 80) }, 'a message on the topics of no device of ours');
          if (err instanceof DeviceMessageError) {
            if (this.told.allow(deviceId)) this.send(deviceId, 'errors', JSON.stringify({ topic, error: err.message })).catch(() => undefined);
            return;
          }
          log.warn({ err, deviceId }, 'a device message could not be handled');
        },
      );
    });
    await client.subscribeAsync(
      DEVICE_PUBLISHES.map((channel) => (this.o.shared && channel !== 'status' ? SITE_GROUP : '') + deviceTopic('+', channel)),
      { qos: 1 },
    );
  }

  /** A status saying whether the device is online (its own word, or its will). */
  private noteOnline(gate: DeviceGate, deviceId: string, payload: Buffer): void {
    let online: unknown;
    try {
      online = (JSON.parse(payload.toString('utf8')) as { online?: unknown } | null)?.online;
    } catch {
      return;
    }
    if (typeof online !== 'boolean' || online === this.online.has(deviceId)) return;
    if (online) this.online.add(deviceId);
    else {
      this.online.delete(deviceId);
      this.told.forget(deviceId);
    }
    gate.connected(deviceId, online);
    if (online && (this.o.deliversOnReturn?.() ?? true)) for (const channel of ['commands', 'firmware'] as const) gate.listening(deviceId, channel);
  }

  async send(deviceId: string, channel: SubscribeChannel, payload: Buffer | string): Promise<boolean> {
    if (!this.client || (channel !== 'errors' && !this.online.has(deviceId))) return false;
    try {
      await this.client.publishAsync(deviceTopic(deviceId, channel), payload, { qos: channel === 'errors' ? 0 : 1 });
      return true;
    } catch {
      return false;
    }
  }

  connectedCount(): number {
    return this.online.size;
  }

  isConnected(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  async disconnect(deviceId: string): Promise<void> {
    // the broker closes it when the device's broker client is disabled (dynsec); otherwise it is the broker's to do
    this.online.delete(deviceId);
    await this.dynsec?.disable(deviceId);
  }

  async deviceKey(deviceId: string, key: string): Promise<void> {
    await this.dynsec?.setDevice(deviceId, key);
  }

  async deviceRemoved(deviceId: string): Promise<void> {
    this.online.delete(deviceId);
    await this.dynsec?.removeDevice(deviceId);
  }

  addresses(): BrokerAddress[] {
    const url = new URL(this.o.url);
    url.username = '';
    url.password = '';
    return [{ transport: 'external', port: Number(url.port) || (url.protocol === 'mqtts:' ? 8883 : 1883), urls: [url.toString().replace(/\/$/, '')] }];
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.endAsync();
  }
}
