/**
 * The embedded MQTT broker (aedes) on its own ports, over TCP and WebSocket. A device signs in with
 * its id as both client id and user name and its key as password, and may publish and subscribe
 * only on its own topics (`dwc/<its id>/<channel>`). Its messages are handled before the broker
 * acknowledges them, so a QoS 1 PUBACK means the reading is on disk; a connection waits for that
 * before the next read from its socket, which is also what holds back a device that floods.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { DEVICE_PUBLISHES, DEVICE_SUBSCRIBES, deviceTopic, parseDeviceTopic, type PublishChannel, type SubscribeChannel } from '../../../shared/model/iot';
import type { Logger } from '../../log';
import { reachableUrls } from '../../lan';
import { guarded } from './packetGuard';
import { DeviceMessageError, OncePerSecond, UnknownDeviceError, type Broker, type BrokerAddress, type DeviceGate } from './Broker';

export interface EmbeddedBrokerOptions {
  host: string;
  /** TCP port; 0 for any free one. */
  port: number;
  /** WebSocket port (path /mqtt), 0 for any free one, null for none. */
  wsPort: number | null;
  /** The most connections at once, over both. */
  maxConnections: number;
  log: Logger;
}

export const MQTT_WS_PATH = '/mqtt';
const CONNECT_TIMEOUT_MS = 10_000;
/** The largest MQTT packet read from a WebSocket (telemetry is at most 4 KB). */
const WS_MAX_PAYLOAD = 16 * 1024;

const PUBLISHES = new Set<string>(DEVICE_PUBLISHES);
const SUBSCRIBES = new Set<string>(DEVICE_SUBSCRIBES);

function authError(message: string, returnCode: 2 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export class EmbeddedBroker implements Broker {
  private aedes: Aedes | null = null;
  private tcp: TcpServer | null = null;
  private http: HttpServer | null = null;
  private wss: WebSocketServer | null = null;
  /** Device → its live connection (a newer one takes over from an older). */
  private readonly clients = new Map<string, Client>();
  /** Device → the channels it listens on now. */
  private readonly listening = new Map<string, Set<string>>();
  /** When each device was last told why a message was not used. */
  private readonly told = new OncePerSecond();

  constructor(private readonly o: EmbeddedBrokerOptions) {}

  async start(gate: DeviceGate): Promise<void> {
    const log = this.o.log;
    const aedes = await Aedes.createBroker({ connectTimeout: CONNECT_TIMEOUT_MS, maxClientsIdLength: 64 });
    this.aedes = aedes;

    aedes.authenticate = (client, username, password, done) => {
      if (!username || !password) return done(authError('a device signs in with its id as user name and its key as password', 4), null);
      if (client.id !== username) return done(authError('a device connects with its id as client id too', 2), null);
      gate.authenticate(username, password.toString('utf8')).then(
        (result) => {
          if (result.ok) return done(null, true);
          log.info({ deviceId: username.slice(0, 64), reason: result.reason }, 'a device was refused by the MQTT broker');
          done(authError(`device refused: ${result.reason}`, result.reason === 'unknown' ? 4 : 5), null);
        },
        (err: unknown) => {
          log.error({ err }, 'could not check a device key');
          done(authError('the server could not check the key', 5), null);
        },
      );
    };

    aedes.authorizePublish = (client, packet, done) => {
      const target = parseDeviceTopic(packet.topic);
      // no device, no topic of its own: an obsolete will with no one connected, or a foreign topic
      if (!client || !target || target.deviceId !== client.id || !PUBLISHES.has(target.channel)) {
        return done(new Error(`a device publishes only on its own topics (${deviceTopic(client?.id ?? '<id>', 'telemetry')} and the like)`));
      }
      // retained messages would pile up in the broker; nothing here reads them
      packet.retain = false;
      gate.receive(client.id, target.channel as PublishChannel, packet.payload as Buffer).then(
        () => done(null),
        (err: unknown) => {
          // revoked or removed while connected: the connection closes
          if (err instanceof UnknownDeviceError) return done(err);
          if (!(err instanceof DeviceMessageError)) {
            // not stored: the connection closes without an acknowledgement, and the device sends again
            log.error({ err, deviceId: client.id }, 'a device message could not be handled');
            return done(err as Error);
          }
          this.tellError(client.id, packet.topic, err.message);
          done(null);
        },
      );
    };

    aedes.authorizeSubscribe = (client, sub, done) => {
      const target = parseDeviceTopic(sub.topic);
      const own = target !== null && target.deviceId === client.id && SUBSCRIBES.has(target.channel);
      // refused in the SUBACK (128), the connection stays
      done(null, own ? sub : null);
    };

    aedes.on('clientReady', (client) => {
      this.clients.set(client.id, client);
      gate.connected(client.id, true);
    });
    aedes.on('clientDisconnect', (client) => {
      // a newer connection of the same device may have taken over already
      if (this.clients.get(client.id) !== client) return;
      this.clients.delete(client.id);
      this.listening.delete(client.id);
      this.told.forget(client.id);
      gate.connected(client.id, false);
    });
    aedes.on('subscribe', (subs, client) => {
      if (!client || this.clients.get(client.id) !== client) return;
      const channels = this.listening.get(client.id) ?? new Set<string>();
      this.listening.set(client.id, channels);
      for (const sub of subs) {
        const target = parseDeviceTopic(sub.topic);
        if (!target || target.deviceId !== client.id) continue;
        channels.add(target.channel);
        gate.listening(client.id, target.channel as SubscribeChannel);
      }
    });
    aedes.on('unsubscribe', (topics, client) => {
      const channels = client && this.listening.get(client.id);
      if (!channels) return;
      for (const topic of topics) channels.delete(parseDeviceTopic(topic)?.channel ?? '');
    });
    aedes.on('clientError', (client, err) => log.debug({ deviceId: client?.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (_client, err) => log.debug({ err: err.message }, 'MQTT connection error'));

    // the WebSocket side caps its messages itself (maxPayload); TCP has the packet guard
    this.tcp = createTcpServer((socket) => aedes.handle(guarded(socket)));
    this.tcp.maxConnections = this.o.maxConnections;
    await listen(this.tcp, this.o.port, this.o.host, 'MQTT_PORT');
    if (this.o.wsPort !== null) {
      this.http = createHttpServer((_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' }).end(`MQTT over WebSocket: connect to ${MQTT_WS_PATH} with the "mqtt" subprotocol.\n`);
      });
      this.http.maxConnections = this.o.maxConnections;
      this.wss = new WebSocketServer({ server: this.http, path: MQTT_WS_PATH, maxPayload: WS_MAX_PAYLOAD });
      this.wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket), req));
      await listen(this.http, this.o.wsPort, this.o.host, 'MQTT_WS_PORT');
    }
  }

  send(deviceId: string, channel: SubscribeChannel, payload: Buffer | string): Promise<boolean> {
    const aedes = this.aedes;
    if (!aedes || !this.listening.get(deviceId)?.has(channel)) return Promise.resolve(false);
    const packet: PublishPacket = { cmd: 'publish', topic: deviceTopic(deviceId, channel), payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: channel === 'errors' ? 0 : 1, retain: false, dup: false };
    return new Promise((resolve) => aedes.publish(packet, (err) => resolve(!err)));
  }

  connectedCount(): number {
    return this.clients.size;
  }

  isConnected(deviceId: string): boolean {
    return this.clients.has(deviceId);
  }

  async disconnect(deviceId: string): Promise<void> {
    this.clients.get(deviceId)?.close();
  }

  addresses(): BrokerAddress[] {
    const out: BrokerAddress[] = [];
    const at = (scheme: string, port: number, path = '') => reachableUrls(this.o.host, scheme, port, path);
    if (this.tcp?.listening) {
      const port = (this.tcp.address() as AddressInfo).port;
      out.push({ transport: 'tcp', port, urls: at('mqtt', port) });
    }
    if (this.http?.listening) {
      const port = (this.http.address() as AddressInfo).port;
      out.push({ transport: 'websocket', port, urls: at('ws', port, MQTT_WS_PATH) });
    }
    return out;
  }

  async close(): Promise<void> {
    const aedes = this.aedes;
    this.aedes = null;
    for (const socket of this.wss?.clients ?? []) socket.terminate();
    this.wss?.close();
    await Promise.all([closeServer(this.tcp), closeServer(this.http), aedes ? new Promise<void>((resolve) => aedes.close(() => resolve())) : undefined]);
  }

  private tellError(deviceId: string, topic: string, error: string): void {
    if (!this.told.allow(deviceId)) return;
    this.send(deviceId, 'errors', JSON.stringify({ topic, error })).catch(() => undefined);
  }
}

function listen(server: TcpServer | HttpServer, port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`The MQTT broker cannot listen on port ${port}: something else uses it. Set ${variable} to another port (0 for any free one) or MQTT_PORT=off.`) : err);
    });
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: TcpServer | HttpServer | null): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
