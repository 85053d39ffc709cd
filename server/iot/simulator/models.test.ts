import { describe, expect, it } from 'vitest';
import { METRIC_NAME } from '../../../shared/model/iot';
import { DOOR, DoorSensor, PowerMeter, SIMULATED_KINDS, THERMOSTAT, Thermostat, createModel, dailyWatts, seedOf, seededRandom } from './models';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;
/** Midnight UTC on a fixed day, so the meter's daily curve is the same in every run. */
const MIDNIGHT = Date.UTC(2025, 0, 6);

function run(model: { step(dtMs: number, now: number): Record<string, number> }, seconds: number, dtMs = SECOND, start = MIDNIGHT) {
  let last: Record<string, number> = {};
  for (let t = 0; t < seconds * SECOND; t += dtMs) last = model.step(dtMs, start + t + dtMs);
  return last;
}

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and another for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(seedOf('dev_a')).toBe(seedOf('dev_a'));
    expect(seedOf('dev_a')).not.toBe(seedOf('dev_b'));
  });

  it('makes every kind report the same readings from the same seed, under metric names the server accepts', () => {
    for (const kind of SIMULATED_KINDS) {
      const one = createModel(kind, 7);
      const two = createModel(kind, 7);
      const a = Array.from({ length: 50 }, (_, i) => one.step(SECOND, MIDNIGHT + i * SECOND));
      const b = Array.from({ length: 50 }, (_, i) => two.step(SECOND, MIDNIGHT + i * SECOND));
      expect(a).toEqual(b);
      for (const name of Object.keys(a[0]!)) expect(name).toMatch(METRIC_NAME);
      for (const reading of a) for (const v of Object.values(reading)) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe('thermostat', () => {
  it('heats toward its setpoint and holds it there, the heater turning on and off', () => {
    const t = new Thermostat(seededRandom(1), { temperature: 15, target: 21 });
    const first = t.step(SECOND);
    expect(first).toMatchObject({ target: 21, heating: 1 });
    const warm = run(t, 1800);
    expect(Math.abs(warm.temperature! - 21)).toBeLessThan(1);
    // held by switching: over ten minutes at the setpoint the heater is both on and off
    const states = new Set(Array.from({ length: 600 }, () => t.step(SECOND).heating));
    expect(states).toEqual(new Set([0, 1]));
  });

  it('takes setTarget, acknowledges the new target, reports it, and drifts down to it', () => {
    const t = new Thermostat(seededRandom(2), { temperature: 21, target: 21 });
    expect(t.command('setTarget', { target: 17 })).toEqual({ ok: true, result: { target: 17 } });
    const reading = t.step(SECOND);
    expect(reading.target).toBe(17);
    expect(reading.heating).toBe(0);
    const later = run(t, 3600);
    expect(later.temperature).toBeLessThan(17.6);
    expect(later.temperature).toBeGreaterThan(16);
  });

  it('refuses a target out of range or not a number, and an unknown command, with a reason', () => {
    const t = new Thermostat(seededRandom(3));
    for (const target of [THERMOSTAT.targetMax + 1, THERMOSTAT.targetMin - 1, '20', null, Number.NaN]) {
      const out = t.command('setTarget', { target });
      expect(out.ok).toBe(false);
      expect(!out.ok && out.error).toMatch(/target/);
    }
    expect(t.target).toBe(21);
    const unknown = t.command('explode', {});
    expect(!unknown.ok && unknown.error).toMatch(/does not know "explode"; it knows setTarget, setMode/);
  });

  it('turned off, stops heating and cools toward the outside', () => {
    const t = new Thermostat(seededRandom(4), { temperature: 21, target: 21 });
    expect(t.command('setMode', { mode: 'off' })).toEqual({ ok: true, result: { mode: 'off' } });
    expect(t.command('setMode', { mode: 'cool' }).ok).toBe(false);
    const later = run(t, 1200);
    expect(later.heating).toBe(0);
    expect(later.temperature).toBeLessThan(15);
    expect(later.temperature).toBeGreaterThan(THERMOSTAT.outside);
  });
});

describe('power meter', () => {
  it('draws least at night and most in the evening', () => {
    expect(dailyWatts(3)).toBeLessThan(300);
    expect(dailyWatts(19.5)).toBeGreaterThan(2000);
    expect(dailyWatts(7.5)).toBeGreaterThan(dailyWatts(10));
    // the day wraps: no step at midnight
    expect(Math.abs(dailyWatts(23.999) - dailyWatts(0.001))).toBeLessThan(1);
  });

  it('follows the curve with a little noise and counts energy as the integral of power', () => {
    const m = new PowerMeter(seededRandom(5), { energy: 100 });
    const night = m.step(SECOND, MIDNIGHT + 3 * 3600 * SECOND);
    const evening = m.step(SECOND, MIDNIGHT + 19.5 * 3600 * SECOND);
    expect(Math.abs(night.power! - dailyWatts(3)) / dailyWatts(3)).toBeLessThan(0.2);
    expect(Math.abs(evening.power! - dailyWatts(19.5)) / dailyWatts(19.5)).toBeLessThan(0.2);
    // a whole day, minute by minute: energy grows by the day's mean power × 24 h, never falls
    const before = m.energy;
    let mean = 0;
    let last = before;
    for (let t = 0; t < DAY; t += 60 * SECOND) {
      const r = m.step(60 * SECOND, MIDNIGHT + t);
      expect(r.energy).toBeGreaterThanOrEqual(last);
      last = r.energy!;
      mean += dailyWatts(t / 3600_000) / (24 * 60);
    }
    expect((m.energy - before) / ((mean * 24) / 1000)).toBeCloseTo(1, 1);
  });

  it('places its day by its offset from UTC', () => {
    // 19:30 where it is, 17:30 UTC
    const m = new PowerMeter(seededRandom(6), {}, 120);
    expect(m.step(SECOND, MIDNIGHT + 17.5 * 3600 * SECOND).power).toBeGreaterThan(1800);
  });
});

describe('door sensor', () => {
  it('flips now and then, open for a shorter time than shut on average', () => {
    const d = new DoorSensor(seededRandom(8));
    let openS = 0;
    const hours = 10;
    for (let i = 0; i < hours * 3600; i++) openS += d.step(SECOND).open!;
    const share = openS / (hours * 3600);
    const expected = DOOR.meanOpenS / (DOOR.meanOpenS + DOOR.meanClosedS);
    expect(Math.abs(share - expected)).toBeLessThan(0.05);
    // about one opening per (mean shut + mean open) seconds
    expect(d.openings / ((hours * 3600) / (DOOR.meanOpenS + DOOR.meanClosedS))).toBeCloseTo(1, 0);
  });

  it('reads the same whatever the reporting rate: the chance of a flip scales with the time passed', () => {
    const fast = new DoorSensor(seededRandom(9));
    let flipsFast = 0;
    let was = 0;
    for (let i = 0; i < 20 * 3600 * 10; i++) {
      const open = fast.step(100).open!;
      if (open !== was) flipsFast++;
      was = open;
    }
    const slow = new DoorSensor(seededRandom(9));
    let flipsSlow = 0;
    was = 0;
    for (let i = 0; i < 20 * 3600; i++) {
      const open = slow.step(SECOND).open!;
      if (open !== was) flipsSlow++;
      was = open;
    }
    expect(flipsFast / flipsSlow).toBeGreaterThan(0.85);
    expect(flipsFast / flipsSlow).toBeLessThan(1.15);
  });

  it('knows no commands and says so', () => {
    expect(new DoorSensor(seededRandom(1)).command('unlock')).toEqual({ ok: false, error: 'a door sensor does not know "unlock"' });
  });
});
