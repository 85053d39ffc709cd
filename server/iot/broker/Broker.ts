/**
 * What the IoT service needs of an MQTT broker, and what a broker asks of the service: the embedded
 * one (aedes) and an external one reached by MQTT_URL both fit between these two.
 */
import type { PublishChannel, SubscribeChannel } from '../../../shared/model/iot';
import type { AuthResult } from '../DeviceRegistry';

/** A message a device sent that cannot be used: the device is told why on its `errors` topic. */
export class DeviceMessageError extends Error {
  override name = 'DeviceMessageError';
}

/** A message on the topics of no device that may send (unknown, removed or revoked): not used, nobody told. */
export class UnknownDeviceError extends Error {
  override name = 'UnknownDeviceError';
}

/** Lets one thing through per key a second: a device that floods is not answered with a flood. */
export class OncePerSecond {
  private readonly last = new Map<string, number>();

  allow(key: string, now = Date.now()): boolean {
    if (now - (this.last.get(key) ?? 0) < 1000) return false;
    this.last.set(key, now);
    return true;
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}

/** A message past the device's allowance: dropped, and the device told so. */
export class DeviceRateError extends DeviceMessageError {
  override name = 'DeviceRateError';
}

export interface DeviceGate {
  authenticate(deviceId: string, key: string): Promise<AuthResult>;
  /**
   * A message from a device on one of its own channels; resolves once it is stored (telemetry) or
   * handled. Rejects with DeviceMessageError for a message that cannot be used.
   */
  receive(deviceId: string, channel: PublishChannel, payload: Buffer): Promise<void>;
  /** The device connected (true) or went away (false). */
  connected(deviceId: string, on: boolean): void;
  /** The device now listens on one of its channels (commands, firmware). */
  listening(deviceId: string, channel: SubscribeChannel): void;
}

/** Where a broker listens: a port of this server (TCP, or WebSocket at /mqtt) or an external broker, with the URLs devices use (this machine first, then each address on the network). */
export interface BrokerAddress {
  transport: 'tcp' | 'websocket' | 'external' | 'coap';
  port: number;
  urls: string[];
}

export interface Broker {
  start(gate: DeviceGate): Promise<void>;
  /** Sends to a device on one of its channels; false when it is not listening there now. */
  send(deviceId: string, channel: SubscribeChannel, payload: Buffer | string): Promise<boolean>;
  /** Where devices reach this broker. */
  addresses(): BrokerAddress[];
  /** How many devices hold a connection now. */
  connectedCount(): number;
  /** Whether the device holds a connection now. */
  isConnected(deviceId: string): boolean;
  /** Ends the device's connection (its key was revoked or replaced, or it was removed); a broker that keeps its own devices also keeps it out. */
  disconnect(deviceId: string): Promise<void>;
  /** A broker that keeps its own devices takes a new device or a new key, ending the old key's connection. */
  deviceKey?(deviceId: string, key: string): Promise<void>;
  deviceRemoved?(deviceId: string): Promise<void>;
  close(): Promise<void>;
}
