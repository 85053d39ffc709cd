/**
 * Commands to devices: stored first (queued), sent when the device listens (at once, or when it
 * comes back), answered by the device's acknowledgement or timed out; a command not sent before it
 * expires is never sent. Every change of state is stored, then told to the listeners (the world's
 * twin, a workflow step waiting for it).
 */
import { createHash } from 'node:crypto';
import { COMMAND_FINAL, type CommandAck, type CommandMessage } from '../../shared/model/iot';
import type { CommandRecord, DeviceRecord, IotStore } from '../adapters/storage/IotStore';
import type { Logger } from '../log';
import { AppError } from '../errors';
import { keyedSerial } from '../serial';
import { ErrorCode } from '../../shared/protocol';

export interface CommandInput {
  name: string;
  params: Record<string, unknown>;
  timeoutMs: number;
  ttlMs: number;
}

export interface CommandsOptions {
  store: Pick<IotStore, 'putCommand' | 'getCommand' | 'openCommands' | 'recentCommands'>;
  /** Sends to the device; false when it is not listening now. */
  send(deviceId: string, message: CommandMessage): Promise<boolean>;
  log: Logger;
  newId(): string;
  now?: () => number;
}

/** The most commands one device may have waiting (queued or sent and not answered). */
export const OPEN_COMMANDS_PER_DEVICE = 100;

type Listener = (command: CommandRecord) => void;

/**
 * The id of a command given once for `key` (a workflow step's idempotency key): the same key and
 * time always make the same id, so a second attempt finds the first one's command. It starts with
 * `at` like every command id, so it lists in time order among the device's other commands.
 */
export function onceCommandId(at: number, key: string): string {
  return `${Math.max(0, Math.floor(at)).toString(36).padStart(9, '0')}k${createHash('sha256').update(key).digest('base64url').slice(0, 20)}`;
}

export class Commands {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** One change of a command at a time: a send, its answer and its timeout never overwrite each other. */
  private readonly turns = keyedSerial();
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;
  private seq = 0;

  constructor(private readonly o: CommandsOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Called with every command whose state changed, once it is stored. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A time-sorted id, so a device's commands list in the order they were given. */
  private commandId(): string {
    return `${this.now().toString(36).padStart(9, '0')}${(this.seq++ % 1296).toString(36).padStart(2, '0')}${this.o.newId()}`;
  }

  /**
   * Stores a command and sends it if the device listens. With `once.id` (see `onceCommandId`) it is
   * given at most once: a command of that id already stored is answered as it stands, never sent again.
   */
  async create(device: DeviceRecord, input: CommandInput, by: string | null, once?: { id: string }): Promise<CommandRecord> {
    if (once) {
      const given = await this.get(once.id);
      if (given && given.deviceId !== device.id) throw new Error(`the command ${once.id} was given to another device`);
      if (given) return given;
    }
    // a device that never comes back must not gather commands without end (those whose time is up do not count)
    if ((await this.openOf(device.id)).length >= OPEN_COMMANDS_PER_DEVICE) {
      throw new AppError(ErrorCode.CONFLICT, `"${device.name}" already has ${OPEN_COMMANDS_PER_DEVICE} commands waiting for it; wait for it to come back, or for them to expire.`, 409);
    }
    const now = this.now();
    const command: CommandRecord = {
      id: once?.id ?? this.commandId(),
      deviceId: device.id,
      worldId: device.worldId,
      name: input.name,
      params: input.params,
      state: 'queued',
      createdAt: new Date(now).toISOString(),
      createdBy: by,
      expiresAt: new Date(now + input.ttlMs).toISOString(),
      timeoutMs: input.timeoutMs,
      sentAt: null,
      answeredAt: null,
    };
    await this.save(command);
    return (await this.deliver(command.id)) ?? command;
  }

  /** The device listens now: sends what waits for it (again, if sent before and not answered in time yet). */
  async deviceListening(deviceId: string): Promise<void> {
    for (const command of await this.o.store.openCommands(deviceId)) await this.deliver(command.id);
  }

  /** A device's acknowledgement: the command is done or failed. Late or foreign answers change nothing. */
  acknowledge(deviceId: string, ack: CommandAck): Promise<CommandRecord | null> {
    return this.turns.run(ack.id, () => this.answer(deviceId, ack));
  }

  private async answer(deviceId: string, ack: CommandAck): Promise<CommandRecord | null> {
    const command = await this.o.store.getCommand(ack.id);
    if (!command || command.deviceId !== deviceId) return null;
    if (COMMAND_FINAL.has(command.state)) return null;
    this.clearTimer(command.id);
    const answered: CommandRecord = {
      ...command,
      state: ack.ok ? 'done' : 'failed',
      answeredAt: new Date(this.now()).toISOString(),
      ...(ack.result !== undefined ? { result: ack.result } : {}),
      ...(ack.ok ? {} : { error: ack.error ?? 'the device said it could not do it, and not why' }),
    };
    await this.save(answered);
    return answered;
  }

  /** A command as it stands now: one whose time ran out while nobody looked is marked so first. */
  get(id: string): Promise<CommandRecord | undefined> {
    return this.turns.run(id, async () => {
      const command = await this.o.store.getCommand(id);
      return command ? this.settleLate(command) : undefined;
    });
  }

  async recent(deviceId: string, limit: number): Promise<CommandRecord[]> {
    const listed = await this.o.store.recentCommands(deviceId, limit);
    return Promise.all(listed.map(async (c) => (this.isLate(c) ? ((await this.get(c.id)) ?? c) : c)));
  }

  /** The device's commands still open once those whose time is up are marked so. */
  private async openOf(deviceId: string): Promise<CommandRecord[]> {
    const open = await this.o.store.openCommands(deviceId);
    const now = await Promise.all(open.map(async (c) => (this.isLate(c) ? await this.get(c.id) : c)));
    return now.filter((c): c is CommandRecord => c !== undefined && !COMMAND_FINAL.has(c.state));
  }

  /** Resolves with the command once it is answered, failed, timed out or expired, or after `waitMs`. */
  waitFor(id: string, waitMs: number): Promise<CommandRecord | undefined> {
    return new Promise((resolve, reject) => {
      let off = () => undefined as unknown;
      const timer = setTimeout(() => {
        off();
        this.get(id).then(resolve, reject);
      }, waitMs);
      off = this.onChange((c) => {
        if (c.id !== id || !COMMAND_FINAL.has(c.state)) return;
        clearTimeout(timer);
        off();
        resolve(c);
      });
      // it may have been answered before the listener was added
      this.get(id).then((c) => {
        if (c && !COMMAND_FINAL.has(c.state)) return;
        clearTimeout(timer);
        off();
        resolve(c);
      }, reject);
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Sends a command if it is still to be sent and the device listens; one change of a command at a time. */
  private deliver(id: string): Promise<CommandRecord | undefined> {
    return this.turns.run(id, async () => {
      const command = await this.o.store.getCommand(id);
      return command ? this.send(command) : undefined;
    });
  }

  private async send(command: CommandRecord): Promise<CommandRecord | undefined> {
    const settled = await this.settleLate(command);
    if (COMMAND_FINAL.has(settled.state)) return settled;
    // stored as sent before it goes, so an answer that comes back at once finds it sent
    const sent: CommandRecord = { ...settled, state: 'sent', sentAt: settled.sentAt ?? new Date(this.now()).toISOString() };
    if (settled.state !== 'sent') await this.o.store.putCommand(sent);
    const message: CommandMessage = { id: command.id, name: command.name, params: command.params, expiresAt: command.expiresAt };
    if (!(await this.o.send(command.deviceId, message))) {
      if (settled.state !== 'sent') await this.o.store.putCommand(settled);
      return undefined;
    }
    if (settled.state !== 'sent') this.tell(sent);
    this.armTimeout(sent);
    return sent;
  }

  private isLate(c: CommandRecord): boolean {
    const now = this.now();
    return (c.state === 'queued' && Date.parse(c.expiresAt) <= now) || (c.state === 'sent' && Date.parse(c.sentAt!) + c.timeoutMs <= now);
  }

  /** Marks a command whose time is up: expired if never sent, timed out if sent and not answered (within its turn). */
  private async settleLate(command: CommandRecord): Promise<CommandRecord> {
    const now = this.now();
    let late: CommandRecord | null = null;
    if (command.state === 'queued' && Date.parse(command.expiresAt) <= now) late = { ...command, state: 'expired', error: 'the device did not come back before the command expired' };
    if (command.state === 'sent' && Date.parse(command.sentAt!) + command.timeoutMs <= now) late = { ...command, state: 'timed_out', error: `the device did not answer within ${command.timeoutMs / 1000} s` };
    if (!late) return command;
    this.clearTimer(command.id);
    await this.save(late);
    return late;
  }

  private armTimeout(command: CommandRecord): void {
    this.clearTimer(command.id);
    const left = Date.parse(command.sentAt!) + command.timeoutMs - this.now();
    const timer = setTimeout(() => {
      this.timers.delete(command.id);
      this.get(command.id).catch((err: unknown) => this.o.log.warn({ err, commandId: command.id }, 'could not time out a command'));
    }, Math.max(0, left));
    timer.unref();
    this.timers.set(command.id, timer);
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private async save(command: CommandRecord): Promise<void> {
    await this.o.store.putCommand(command);
    this.tell(command);
  }

  private tell(command: CommandRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(command);
      } catch (err) {
        this.o.log.warn({ err, commandId: command.id }, 'a command listener failed');
      }
    }
  }
}
