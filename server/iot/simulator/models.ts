/**
 * How the simulated devices behave, without sockets or clocks of their own: each model is advanced
 * by the time that passed and answers commands, so the same seed gives the same readings (the unit
 * tests) and the simulator only moves them over MQTT.
 */

/** The kinds of device the simulator runs, as registered (the device's `type`). */
export const SIMULATED_KINDS = ['thermostat', 'power_meter', 'door_sensor'] as const;
export type SimulatedKind = (typeof SIMULATED_KINDS)[number];

/** What each kind is called in names and what firmware it reports on `status`. */
/** How each kind stands in the world as a twin when the simulator registers it. */
export const KIND_TWIN: Record<SimulatedKind, Record<string, unknown>> = {
  thermostat: {
    metric: 'temperature',
    unit: '°C',
    min: 10,
    max: 30,
    alarmLow: 14,
    alarmHigh: 26,
    commands: [
      { label: 'Warmer', name: 'setTarget', params: { target: 22 } },
      { label: 'Cooler', name: 'setTarget', params: { target: 18 } },
    ],
  },
  power_meter: { metric: 'power', unit: 'W', min: 0, max: 5000, alarmHigh: 4500 },
  door_sensor: { metric: 'open', min: 0, max: 1 },
};

export const KIND_INFO: Record<SimulatedKind, { label: string; model: string; firmware: string }> = {
  thermostat: { label: 'Thermostat', model: 'SIM-T100', firmware: '2.3.1' },
  power_meter: { label: 'Power meter', model: 'SIM-P200', firmware: '1.4.2' },
  door_sensor: { label: 'Door sensor', model: 'SIM-D10', firmware: '1.0.7' },
};

/** A source of numbers in [0, 1). */
export type Random = () => number;

import { seededRandom } from '../../../shared/random';

export { seededRandom };

/** A seed from a text (a device id), so each device has its own sequence and keeps it across runs. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Noise with mean 0, roughly normal (the sum of three uniforms), scaled to `sd`. */
function noise(random: Random, sd: number): number {
  return (random() + random() + random() - 1.5) * 2 * sd;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What a device answers a command with (the `commands/ack` body less the command id). */
export type CommandOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

export interface DeviceModel {
  readonly kind: SimulatedKind;
  /** Advances the device by `dtMs` to the time `now` (ms since 1970) and gives its readings. */
  step(dtMs: number, now: number): Record<string, number>;
  /** Acts on a command; an unknown one or bad parameters are refused with a reason. */
  command(name: string, params: Record<string, unknown>): CommandOutcome;
}

const unknownCommand = (kind: SimulatedKind, name: string, known: string[]): CommandOutcome => ({
  ok: false,
  error: `a ${KIND_INFO[kind].label.toLowerCase()} does not know "${name.slice(0, 40)}"${known.length ? `; it knows ${known.join(', ')}` : ''}`,
});

// ---- thermostat ----

export const THERMOSTAT = {
  /** Degrees a second the heater adds while on. */
  heatPerS: 0.05,
  /** Share of the gap to the outside lost each second. */
  lossPerS: 0.002,
  outside: 12,
  /** The heater turns on this far below the target and off this far above (so it does not chatter). */
  hysteresis: 0.3,
  targetMin: 5,
  targetMax: 30,
} as const;

export type ThermostatMode = 'heat' | 'off';

export class Thermostat implements DeviceModel {
  readonly kind = 'thermostat';
  temperature: number;
  target: number;
  mode: ThermostatMode = 'heat';
  heating = false;

  constructor(
    private readonly random: Random,
    start: { temperature?: number; target?: number } = {},
  ) {
    this.temperature = start.temperature ?? 19 + random() * 3;
    this.target = start.target ?? 21;
  }

  step(dtMs: number): Record<string, number> {
    const s = Math.max(0, dtMs) / 1000;
    const t = THERMOSTAT;
    if (this.mode === 'off') this.heating = false;
    else if (this.temperature < this.target - t.hysteresis) this.heating = true;
    else if (this.temperature > this.target + t.hysteresis) this.heating = false;
    const gain = this.heating ? t.heatPerS * s : 0;
    const loss = (this.temperature - t.outside) * (1 - Math.exp(-t.lossPerS * s));
    this.temperature += gain - loss + noise(this.random, 0.01 * Math.sqrt(s));
    return { temperature: round(this.temperature, 2), target: this.target, heating: this.heating ? 1 : 0 };
  }

  command(name: string, params: Record<string, unknown>): CommandOutcome {
    switch (name) {
      case 'setTarget': {
        const target = params.target;
        if (typeof target !== 'number' || !Number.isFinite(target) || target < THERMOSTAT.targetMin || target > THERMOSTAT.targetMax) {
          return { ok: false, error: `"target" is a temperature from ${THERMOSTAT.targetMin} to ${THERMOSTAT.targetMax} °C` };
        }
        this.target = round(target, 1);
        return { ok: true, result: { target: this.target } };
      }
      case 'setMode': {
        const mode = params.mode;
        if (mode !== 'heat' && mode !== 'off') return { ok: false, error: '"mode" is "heat" or "off"' };
        this.mode = mode;
        if (mode === 'off') this.heating = false;
        return { ok: true, result: { mode } };
      }
      default:
        return unknownCommand(this.kind, name, ['setTarget', 'setMode']);
    }
  }
}

// ---- power meter ----

/** Watts drawn at an hour of the day (0–24, fractional): a night base, a morning and an evening peak. */
export function dailyWatts(hour: number): number {
  const bump = (centre: number, width: number, height: number) => {
    // distance on a 24-hour circle, so 23:30 and 00:30 are an hour apart
    const d = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
    return height * Math.exp(-(d * d) / (2 * width * width));
  };
  return 250 + bump(7.5, 1, 1200) + bump(13, 2, 500) + bump(19.5, 1.5, 2000);
}

export class PowerMeter implements DeviceModel {
  readonly kind = 'power_meter';
  /** Cumulative energy, kWh. */
  energy: number;
  watts = 0;

  constructor(
    private readonly random: Random,
    start: { energy?: number } = {},
    /** The meter's offset from UTC in minutes, so its day follows the place it is in. */
    private readonly utcOffsetMin = 0,
  ) {
    this.energy = start.energy ?? round(1000 + random() * 4000, 3);
  }

  step(dtMs: number, now: number): Record<string, number> {
    const local = new Date(now + this.utcOffsetMin * 60_000);
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
    this.watts = Math.max(0, dailyWatts(hour) * (1 + noise(this.random, 0.05)));
    this.energy += (this.watts * Math.max(0, dtMs)) / 3_600_000_000;
    return { power: round(this.watts, 1), energy: round(this.energy, 4) };
  }

  command(name: string): CommandOutcome {
    return unknownCommand(this.kind, name, []);
  }
}

// ---- door sensor ----

export const DOOR = {
  /** How long the door stays shut, and open, on average. */
  meanClosedS: 40,
  meanOpenS: 8,
} as const;

export class DoorSensor implements DeviceModel {
  readonly kind = 'door_sensor';
  open = false;
  /** Times it opened since it started. */
  openings = 0;

  constructor(private readonly random: Random) {}

  step(dtMs: number): Record<string, number> {
    // a flip is a Poisson event: its chance in dt is 1 - e^(-dt/mean), whatever the reporting rate
    const mean = this.open ? DOOR.meanOpenS : DOOR.meanClosedS;
    if (this.random() < 1 - Math.exp(-Math.max(0, dtMs) / 1000 / mean)) {
      this.open = !this.open;
      if (this.open) this.openings++;
    }
    return { open: this.open ? 1 : 0 };
  }

  command(name: string): CommandOutcome {
    return unknownCommand(this.kind, name, []);
  }
}

/** A model of the kind, its randomness seeded (by the device id in the simulator); `utcOffsetMin` places a meter's day. */
export function createModel(kind: SimulatedKind, seed: number, utcOffsetMin = 0): DeviceModel {
  const random = seededRandom(seed);
  switch (kind) {
    case 'thermostat':
      return new Thermostat(random);
    case 'power_meter':
      return new PowerMeter(random, {}, utcOffsetMin);
    case 'door_sensor':
      return new DoorSensor(random);
  }
}
