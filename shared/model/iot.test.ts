import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_METRICS, deviceTopics, encodeBinaryTelemetry, parseBinaryTelemetry, parseCommandAck, parseDeviceTopic, parseJsonTelemetry } from './iot';

const NOW = Date.UTC(2026, 11, 4, 12);

describe('the device topic convention', () => {
  it('IOT-8: names each channel of a device under dwc/<id>/ and reads a topic back', () => {
    const topics = deviceTopics('dev_a1');
    expect(topics.publishes.telemetry).toBe('dwc/dev_a1/telemetry');
    expect(topics.subscribes.commands).toBe('dwc/dev_a1/commands');
    expect(parseDeviceTopic('dwc/dev_a1/commands/ack')).toEqual({ deviceId: 'dev_a1', channel: 'commands/ack' });
    for (const t of ['dwc', 'dwc/', 'dwc//telemetry', 'other/dev/telemetry', 'dwc/dev_a1']) expect(parseDeviceTopic(t), t).toBeNull();
  });
});

describe('JSON telemetry', () => {
  it('IOT-8: reads plain values and the wrapped form with its own time; booleans count as 1 and 0', () => {
    expect(parseJsonTelemetry(('{"temperature":21.5,"open":true}'), NOW)).toEqual({ ok: true, value: { ts: NOW, values: { temperature: 21.5, open: 1 } } });
    const at = NOW - 60_000;
    expect(parseJsonTelemetry((JSON.stringify({ ts: at, values: { power: 3 } })), NOW)).toEqual({ ok: true, value: { ts: at, values: { power: 3 } } });
    expect(parseJsonTelemetry((JSON.stringify({ ts: new Date(at).toISOString(), values: { power: 3 } })), NOW)).toMatchObject({ ok: true, value: { ts: at } });
  });

  it('IOT-8: refuses, saying why, what is not telemetry', () => {
    const cases: Array<[string, RegExp]> = [
      ['nope', /not JSON/],
      ['[1,2]', /not a JSON object/],
      ['null', /not a JSON object/],
      ['{}', /no values/],
      ['{"t":"hot"}', /not a finite number/],
      ['{"t":null}', /not a finite number/],
      ['{"1t":1}', /not a metric name/],
      ['{"__proto__":1}', /not a metric name/],
      [`{"${'a'.repeat(41)}":1}`, /not a metric name/],
      ['{"values":[1]}', /"values" is not an object/],
      [JSON.stringify({ ts: NOW - 8 * 86_400_000, values: { t: 1 } }), /7 days ago/],
      [JSON.stringify({ ts: NOW + 3600_000, values: { t: 1 } }), /ahead/],
      [JSON.stringify({ ts: 'yesterday', values: { t: 1 } }), /time is not/],
      [JSON.stringify(Object.fromEntries(Array.from({ length: MAX_METRICS + 1 }, (_, i) => [`m${i}`, i]))), /at most 32/],
      [JSON.stringify({ t: 'x'.repeat(5000) }), /over 4096/],
    ];
    for (const [body, why] of cases) {
      const r = parseJsonTelemetry((body), NOW);
      expect(r.ok, body.slice(0, 60)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(why);
    }
  });
});

describe('binary telemetry', () => {
  it('IOT-8: reads back what it writes, with and without a time, to float32 precision', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/), fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minKeys: 1, maxKeys: MAX_METRICS }),
        fc.option(fc.integer({ min: NOW - 86_400_000, max: NOW }), { nil: undefined }),
        (values, ts) => {
          const r = parseBinaryTelemetry(encodeBinaryTelemetry(values, ts), NOW);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.value.ts).toBe(ts ?? NOW);
          expect(Object.keys(r.value.values).sort()).toEqual(Object.keys(values).sort());
          for (const [k, v] of Object.entries(values)) expect(r.value.values[k]).toBe(Math.fround(v));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('IOT-8: never throws on arbitrary bytes, and refuses what is cut short or of another version', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (raw) => {
        const r = parseBinaryTelemetry(raw, NOW);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    const good = encodeBinaryTelemetry({ temperature: 20 });
    expect(parseBinaryTelemetry(good.slice(0, good.length - 1), NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/cut short/) });
    expect(parseBinaryTelemetry(Uint8Array.of(2, 0), NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/version/) });
    expect(parseBinaryTelemetry(Uint8Array.of(1, 1, 0), NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/time follows/) });
  });
});

describe('command acknowledgements', () => {
  it('IOT-8: reads {id, ok, result?, error?} and refuses anything else', () => {
    expect(parseCommandAck(('{"id":"c1","ok":true,"result":{"t":19}}'))).toEqual({ ok: true, value: { id: 'c1', ok: true, result: { t: 19 } } });
    expect(parseCommandAck(('{"id":"c1","ok":false,"error":"valve stuck"}'))).toEqual({ ok: true, value: { id: 'c1', ok: false, error: 'valve stuck' } });
    for (const bad of ['x', '{}', '{"id":1,"ok":true}', '{"id":"c","ok":"yes"}', '{"id":"c","ok":false,"error":5}', `{"id":"${'c'.repeat(65)}","ok":true}`]) {
      expect(parseCommandAck((bad)).ok, bad).toBe(false);
    }
  });
});
