/**
 * Keeps devices as clients of Mosquitto's dynamic security plugin, over its control topic: each
 * device a broker client (its id as user name, its key as password) with a role that lets it publish
 * and subscribe on its own topics only; revoking disables it (the broker drops its connection),
 * a new key sets its password and enables it. The server's own broker account gets a role to read
 * every device topic and send commands and notices.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { DEVICE_PUBLISHES, DEVICE_SUBSCRIBES, deviceTopic } from '../../../shared/model/iot';
import type { Logger } from '../../log';

const CONTROL = '$CONTROL/dynamic-security/v1';
const RESPONSE = `${CONTROL}/response`;
const ANSWER_MS = 10_000;
const SERVER_ROLE = 'dwc-server';
const roleOf = (deviceId: string) => `dwc-device-${deviceId}`;

type Command = Record<string, unknown> & { command: string };
interface Response {
  command: string;
  error?: string;
  correlationData?: string;
  data?: { client?: { roles?: Array<{ rolename: string }> } };
}

export class Dynsec {
  /** Requests waiting for their answer, by the correlation data of their first command. */
  private readonly waiting = new Map<string, (responses: Response[]) => void>();

  constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    client.on('message', (topic, payload) => {
      if (topic !== RESPONSE) return;
      let responses: Response[];
      try {
        responses = (JSON.parse(payload.toString('utf8')) as { responses: Response[] }).responses;
      } catch {
        return;
      }
      // each answer carries back the correlation data of the command it answers
      const id = responses?.[0]?.correlationData;
      const resolve = id === undefined ? undefined : this.waiting.get(id);
      if (resolve) resolve(responses);
    });
  }

  /** Gives the server's own broker account what it needs to hear devices and talk to them. */
  async start(serverUser: string): Promise<void> {
    await this.client.subscribeAsync(RESPONSE, { qos: 1 });
    const acls = [
      { acltype: 'subscribePattern', topic: 'dwc/#', allow: true },
      ...DEVICE_SUBSCRIBES.map((channel) => ({ acltype: 'publishClientSend', topic: deviceTopic('+', channel), allow: true })),
    ];
    await this.run([{ command: 'createRole', rolename: SERVER_ROLE, acls }], ['already exists']);
    if (!serverUser) return;
    const [own] = await this.run([{ command: 'getClient', username: serverUser }]);
    if (own?.data?.client?.roles?.some((r) => r.rolename === SERVER_ROLE)) return;
    // the plugin drops a client whose roles change, this one included: the answer is the reconnection
    const back = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the broker did not take the server back after giving it its role')), ANSWER_MS);
      this.client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await this.client.publishAsync(CONTROL, JSON.stringify({ commands: [{ command: 'addClientRole', username: serverUser, rolename: SERVER_ROLE }] }), { qos: 1 });
    await back;
    this.log.info({ role: SERVER_ROLE }, "the server's broker account was given its role");
  }

  /** Creates the device's broker client and role, or sets its new key and enables it. */
  async setDevice(deviceId: string, key: string): Promise<void> {
    const acls = [
      ...DEVICE_PUBLISHES.map((channel) => ({ acltype: 'publishClientSend', topic: deviceTopic(deviceId, channel), allow: true })),
      ...DEVICE_SUBSCRIBES.map((channel) => ({ acltype: 'subscribeLiteral', topic: deviceTopic(deviceId, channel), allow: true })),
    ];
    await this.run([{ command: 'createRole', rolename: roleOf(deviceId), acls }], ['already exists']);
    const created = await this.run([{ command: 'createClient', username: deviceId, password: key, clientid: deviceId, roles: [{ rolename: roleOf(deviceId) }] }], ['already exists']);
    // a new key for a device the broker knows: disabling ends the old key's connection first
    if (created[0]?.error) await this.run([{ command: 'disableClient', username: deviceId }, { command: 'setClientPassword', username: deviceId, password: key }, { command: 'enableClient', username: deviceId }]);
  }

  async disable(deviceId: string): Promise<void> {
    await this.run([{ command: 'disableClient', username: deviceId }], ['not found']);
  }

  async removeDevice(deviceId: string): Promise<void> {
    await this.run([{ command: 'deleteClient', username: deviceId }, { command: 'deleteRole', rolename: roleOf(deviceId) }], ['not found']);
  }

  /** Sends commands and waits for the answers; an error not in `tolerated` (by its words) throws. */
  private async run(commands: Command[], tolerated: string[] = []): Promise<Response[]> {
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<Response[]>((resolve, reject) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(() => reject(new Error('the broker did not answer a dynamic security request in time (is its dynamic security plugin loaded?)')), ANSWER_MS);
    });
    try {
      await this.client.publishAsync(CONTROL, JSON.stringify({ commands: commands.map((c, i) => ({ ...c, correlationData: i === 0 ? id : randomUUID() })) }), { qos: 1 });
      const responses = await answered;
      for (const r of responses) {
        if (r.error && !tolerated.some((t) => r.error!.toLowerCase().includes(t))) throw new Error(`The broker refused ${r.command}: ${r.error}`);
        if (r.error) this.log.debug({ command: r.command, error: r.error }, 'dynamic security: as it was');
      }
      return responses;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }
}
