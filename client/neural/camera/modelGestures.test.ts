import { describe, expect, it } from 'vitest';
import { eyesClosed, gestureCommands, LONG_BLINK_MS, LongBlinkDetector } from './modelGestures';

const cat = (categoryName: string, score: number) => ({ categoryName, score });

describe('gesture recogniser categories as commands', () => {
  it('maps the canned gestures to command names', () => {
    expect(gestureCommands([[cat('Thumb_Up', 0.9), cat('None', 0.05)]])).toEqual([{ command: 'thumbs_up', confidence: 0.9 }]);
    expect(gestureCommands([[cat('Thumb_Down', 0.8)]])).toEqual([{ command: 'thumbs_down', confidence: 0.8 }]);
    expect(gestureCommands([[cat('Open_Palm', 0.7)]])).toEqual([{ command: 'open_palm', confidence: 0.7 }]);
    expect(gestureCommands([[cat('Closed_Fist', 0.6)]])).toEqual([{ command: 'fist', confidence: 0.6 }]);
  });

  it('gives nothing for None, unknown categories, empty hands or no hands', () => {
    expect(gestureCommands([[cat('None', 0.95), cat('Thumb_Up', 0.04)]])).toEqual([]);
    expect(gestureCommands([[cat('Jazz_Hands', 0.9)]])).toEqual([]);
    expect(gestureCommands([[]])).toEqual([]);
    expect(gestureCommands([])).toEqual([]);
  });

  it('gives one command per gesture, the surer hand deciding, best first', () => {
    expect(gestureCommands([[cat('Thumb_Up', 0.6)], [cat('Thumb_Up', 0.85)]])).toEqual([{ command: 'thumbs_up', confidence: 0.85 }]);
    expect(gestureCommands([[cat('Open_Palm', 0.6)], [cat('Victory', 0.9)]])).toEqual([
      { command: 'victory', confidence: 0.9 },
      { command: 'open_palm', confidence: 0.6 },
    ]);
  });
});

describe('long blink from face blendshapes', () => {
  const shapes = (left: number, right: number) => [cat('eyeBlinkLeft', left), cat('eyeBlinkRight', right), cat('jawOpen', 0.9)];

  it('reads eye closure as the less closed eye', () => {
    expect(eyesClosed(shapes(0.9, 0.7))).toBe(0.7);
    expect(eyesClosed(shapes(0.9, 0.1))).toBe(0.1);
    expect(eyesClosed([cat('jawOpen', 1)])).toBe(0);
  });

  /** Feeds one closure value per frame at 30 fps and returns what the detector said. */
  function run(detector: LongBlinkDetector, values: number[], start = 0) {
    return values.map((v, i) => detector.update(v, start + i * 33));
  }

  it('reports a blink held longer than an ordinary one, with the mean closure', () => {
    const said = run(new LongBlinkDetector(), Array(30).fill(0.9));
    const first = said.findIndex((s) => s !== null);
    expect(first * 33).toBeGreaterThanOrEqual(LONG_BLINK_MS);
    expect(said[first]?.command).toBe('long_blink');
    expect(said[first]?.confidence).toBeCloseTo(0.9);
    // and goes on reporting while the eyes stay closed, so the channel can judge the hold
    expect(said.slice(first).every((s) => s?.command === 'long_blink')).toBe(true);
  });

  it('ignores ordinary blinks, a wink, and blinks broken by open frames', () => {
    const d = new LongBlinkDetector();
    expect(run(d, [...Array(10).fill(0.95), 0, ...Array(10).fill(0.95)]).every((s) => s === null)).toBe(true);
    // a wink: one eye shut for a long time, the other open
    expect(run(new LongBlinkDetector(), Array(40).fill(eyesClosed(shapes(0.95, 0.1)))).every((s) => s === null)).toBe(true);
  });

  it('does not join closures across a gap in the frames', () => {
    const d = new LongBlinkDetector();
    run(d, Array(15).fill(0.9), 0);
    // the face was lost for a second; the next closed frames start a new closure
    expect(d.update(0.9, 15 * 33 + 1000)).toBeNull();
  });
});
