import { describe, expect, it } from 'vitest';
import { agoText, alarmText, chartSpan, buttonRow, chartRange, commandOutcome, commandsOf, faceKey, formatNumber, mergeSeries, needleAngle, panelPose, plot, scaleColour, statusText, twinColour, valueText, type TwinFacts } from './twinLook';

const thermostat: TwinFacts = { name: 'Hall thermostat', metric: 'temperature', unit: '°C', min: 10, max: 30, lowOn: false, low: 0, highOn: true, high: 26, value: 21.5, at: Date.UTC(2025, 0, 1, 12), alarm: false, online: true };

describe('the colour scale', () => {
  it('runs blue, green, amber, red and clamps outside 0..1', () => {
    expect(scaleColour(0)).toBe('#2f7de1');
    expect(scaleColour(0.35)).toBe('#2eb35a');
    expect(scaleColour(0.7)).toBe('#f0a020');
    expect(scaleColour(1)).toBe('#e0342c');
    expect(scaleColour(-3)).toBe(scaleColour(0));
    expect(scaleColour(7)).toBe(scaleColour(1));
    expect(scaleColour(Number.NaN)).toBe(scaleColour(0));
    // half way between green and amber
    expect(scaleColour(0.525)).toBe('#8faa3d');
  });

  it('colours a twin by its place on its scale, red in alarm, grey before a reading or while offline', () => {
    expect(twinColour(thermostat)).toBe(scaleColour(0.575));
    expect(twinColour({ ...thermostat, value: 27.5, alarm: true })).toBe('#e0342c');
    expect(twinColour({ ...thermostat, at: 0 })).toBe('#8a909a');
    expect(twinColour({ ...thermostat, online: false })).toBe('#8a909a');
  });
});

describe('the readout', () => {
  it('shows the value with its unit, rounded as people read it', () => {
    expect(valueText(thermostat)).toBe('21.5 °C');
    // float32 in the state: 27.3 arrives as 27.299999237
    expect(valueText({ ...thermostat, value: Math.fround(27.3) })).toBe('27.3 °C');
    expect(valueText({ ...thermostat, value: 1013.25, unit: 'hPa' })).toBe('1013 hPa');
    expect(valueText({ ...thermostat, value: 0.125, unit: '' })).toBe('0.13');
    expect(valueText({ ...thermostat, at: 0 })).toBe('–');
    expect(formatNumber(-0.001)).toBe('0');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('says when there is no reading yet and when the device is away', () => {
    expect(statusText({ ...thermostat, at: 0 })).toBe('no reading yet');
    expect(statusText({ ...thermostat, at: 0, online: false })).toBe('offline · no reading yet');
    expect(statusText({ ...thermostat, online: false })).toMatch(/^offline · last reading \d/);
    expect(statusText(thermostat)).toMatch(/^updated \d/);
  });

  it('names the bound an alarm broke', () => {
    expect(alarmText(thermostat)).toBe('');
    expect(alarmText({ ...thermostat, value: 27.5, alarm: true })).toBe('ALARM · above 26 °C');
    expect(alarmText({ ...thermostat, lowOn: true, low: 12, value: 11, alarm: true })).toBe('ALARM · below 12 °C');
    // the server's flag stands even where the bounds shown here have changed since
    expect(alarmText({ ...thermostat, alarm: true })).toBe('ALARM');
  });

  it('is drawn again only when something it shows changes', () => {
    expect(faceKey({ ...thermostat })).toBe(faceKey(thermostat));
    expect(faceKey({ ...thermostat, value: 21.6 })).not.toBe(faceKey(thermostat));
    expect(faceKey({ ...thermostat, online: false })).not.toBe(faceKey(thermostat));
    expect(faceKey({ ...thermostat, alarm: true })).not.toBe(faceKey(thermostat));
    // a value too small to show is no change
    expect(faceKey({ ...thermostat, value: 21.5000001 })).toBe(faceKey(thermostat));
  });

  it('points the needle along the scale, at its start before a reading', () => {
    expect(needleAngle(thermostat, 1, 4)).toBeCloseTo(1 + 4 * 0.575);
    expect(needleAngle({ ...thermostat, value: 99 }, 1, 4)).toBe(5);
    expect(needleAngle({ ...thermostat, at: 0 }, 1, 4)).toBe(1);
  });
});

describe('commands', () => {
  it('reads the buttons from the state, leaving out what is malformed', () => {
    expect(commandsOf('[{"label":"Cooler","name":"setTarget","params":{"target":18}}]')).toEqual([{ label: 'Cooler', name: 'setTarget', params: { target: 18 } }]);
    expect(commandsOf('not json')).toEqual([]);
    expect(commandsOf('{"label":"x"}')).toEqual([]);
    expect(commandsOf('[{"label":"x"},{"label":"A","name":"a","params":{}}]')).toEqual([{ label: 'A', name: 'a', params: {} }]);
    expect(commandsOf(JSON.stringify(Array.from({ length: 9 }, (_, i) => ({ label: `B${i}`, name: 'b', params: {} }))))).toHaveLength(6);
  });

  it('says what became of a command', () => {
    expect(commandOutcome({ state: 'done' })).toEqual({ text: 'done', ok: true });
    expect(commandOutcome({ state: 'done', result: { target: 18 } })).toEqual({ text: 'done · target: 18', ok: true });
    expect(commandOutcome({ state: 'done', result: { a: { deep: 1 } } }).text).toBe('done · {"a":{"deep":1}}');
    expect(commandOutcome({ state: 'failed', error: 'valve stuck' })).toEqual({ text: 'failed: valve stuck', ok: false });
    expect(commandOutcome({ state: 'failed' }).text).toBe('failed: the device gave no reason');
    expect(commandOutcome({ state: 'timed_out' }).text).toMatch(/^timed out/);
    expect(commandOutcome({ state: 'queued' }).ok).toBeNull();
  });
});

describe('the history chart', () => {
  it('follows the stored history with the live readings newer than it', () => {
    const history = [{ t: 10, v: 1 }, { t: 20, v: 2 }];
    expect(mergeSeries(history, [{ t: 15, v: 9 }, { t: 30, v: 3 }, { t: 25, v: 4 }])).toEqual([{ t: 10, v: 1 }, { t: 20, v: 2 }, { t: 25, v: 4 }, { t: 30, v: 3 }]);
    expect(mergeSeries([], [{ t: 5, v: 1 }])).toEqual([{ t: 5, v: 1 }]);
  });

  it("spans the twin's scale, widened for readings outside it", () => {
    expect(chartRange(thermostat, [{ t: 1, v: 20 }])).toEqual({ lo: 10, hi: 30 });
    expect(chartRange(thermostat, [{ t: 1, v: 20, min: 5, max: 34 }])).toEqual({ lo: 5, hi: 34 });
    expect(chartRange({ min: 3, max: 3 }, [])).toEqual({ lo: 2, hi: 4 });
  });

  it('spans the last hour back to the oldest reading in it, two minutes at least', () => {
    const now = 10_000_000;
    expect(chartSpan([], now, 3600_000, 120_000)).toEqual({ from: now - 120_000, to: now });
    expect(chartSpan([{ t: now - 600_000, v: 1 }], now, 3600_000, 120_000)).toEqual({ from: now - 660_000, to: now });
    expect(chartSpan([{ t: now - 7200_000, v: 1 }, { t: now - 3500_000, v: 1 }], now, 3600_000, 120_000)).toEqual({ from: now - 3600_000, to: now });
    expect([0, 45_000, 720_000].map(agoText)).toEqual(['now', '45 s ago', '12 min ago']);
  });

  it('places samples in the box, the top for the highest, clamped to the box', () => {
    const span = { from: 0, to: 100, lo: 10, hi: 30 };
    const box = { x: 10, y: 20, w: 200, h: 100 };
    expect(plot({ t: 50, v: 20 }, span, box)).toEqual({ x: 110, y: 70 });
    expect(plot({ t: 0, v: 30 }, span, box)).toEqual({ x: 10, y: 20 });
    expect(plot({ t: 200, v: -5 }, span, box)).toEqual({ x: 210, y: 120 });
  });
});

describe('the panel', () => {
  it('lays command buttons out in one centred row', () => {
    expect(buttonRow(0, 1000, 0, 80, 20, 300)).toEqual([]);
    expect(buttonRow(1, 1000, 600, 80, 20, 300)).toEqual([{ x: 350, y: 600, w: 300, h: 80 }]);
    const six = buttonRow(6, 1000, 0, 80, 20, 300);
    expect(six[0]!.x).toBeCloseTo(0);
    expect(six[5]!.x + six[5]!.w).toBeCloseTo(1000);
  });

  it('opens ahead of the eyes, level, a little low, facing them', () => {
    const pose = panelPose([0, 1.6, 2], [0, -0.5, -1], 1);
    expect(pose.position[0]).toBeCloseTo(0);
    expect(pose.position[1]).toBeCloseTo(1.48);
    expect(pose.position[2]).toBeCloseTo(1);
    expect(Math.cos(pose.yaw)).toBeCloseTo(1);
    const sideways = panelPose([0, 1.6, 0], [1, 0, 0], 2);
    expect(sideways.position).toEqual([2, 1.6 - 0.24, 0]);
    // its +Z face turns to point back along -X, at the eye
    expect(Math.sin(sideways.yaw)).toBeCloseTo(-1);
  });
});
