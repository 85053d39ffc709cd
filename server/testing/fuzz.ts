/**
 * A seeded generator of hostile world-room messages. Every message it makes is one the protocol
 * must refuse: a known intent with one thing wrong (a wrong type, a missing or extra field, NaN,
 * Infinity, a huge string, deep nesting, a mismatched `type`), an unknown message type, or a
 * payload that is not an object at all. Same seed, same messages, so a failing seed can be
 * replayed as a named regression test.
 */
import { INTENT_TYPES, type IntentType } from '../../shared/protocol';
import { seededRandom } from '../../shared/random';

/** The fuzzer's generator: the same seed gives the same messages on every machine. */
export const rng = seededRandom;

export interface FuzzMessage {
  /** The message type put on the wire: usually a string, sometimes a number. */
  type: string | number;
  payload: unknown;
  /** What was done to it, for the failure message. */
  mutation: string;
}

export interface FuzzTargets {
  docIds: string[];
  noteIds: string[];
  workflowIds: string[];
  runIds: string[];
  propIds?: string[];
}

/** Strings no handler should trip over; all of them are invalid where an id or enum is wanted. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000\u0001\u0002',
  '\ud800',
  'a'.repeat(65),
  '😀'.repeat(40),
  "'; DROP TABLE worlds; --",
  '${process.exit(1)}',
  '%s%s%s%n',
];

const MAX_HUGE = 48 * 1024; // under the transport's 64 KiB frame limit, so it reaches the room

/** A well-formed intent of each type, aimed at things that exist, to be broken one way. */
function valid(type: IntentType, t: FuzzTargets, pick: <T>(xs: readonly T[]) => T): Record<string, unknown> {
  const doc = t.docIds.length ? pick(t.docIds) : 'doc';
  const note = t.noteIds.length ? pick(t.noteIds) : 'note';
  const workflow = t.workflowIds.length ? pick(t.workflowIds) : 'workflow';
  const run = t.runIds.length ? pick(t.runIds) : 'run';
  const prop = t.propIds?.length ? pick(t.propIds) : 'p1';
  const pose = [0, 1.6, 0, 0, 0, 0, 1];
  switch (type) {
    case 'pose':
      return { type, head: pose, left: pose, right: null };
    case 'grab':
    case 'release':
      return { type, docId: doc };
    case 'move':
      return { type, docId: doc, position: [1, 1.5, -2], rotation: [0, 0, 0, 1], scale: 1 };
    case 'page':
      return { type, docId: doc, page: 2, spread: 1 };
    case 'noteAdd':
      return { type, docId: doc, page: 1, u: 0.5, v: 0.5, text: 'a note', colour: '#ffcc00' };
    case 'noteEdit':
      return { type, noteId: note, text: 'edited' };
    case 'noteDelete':
      return { type, noteId: note };
    case 'runStart':
      return { type, workflowId: workflow, documentId: doc, priority: 'normal' };
    case 'runCancel':
      return { type, runId: run };
    case 'runAnswer':
      return { type, runId: run, approved: true, comment: '' };
    case 'neuralCommand':
      return { type, command: 'confirm', confidence: 0.9, source: 'eeg', runId: run };
    case 'neuralSources':
      return { type, sources: ['eeg'] };
    case 'propAdd':
      return { type, kind: 'chair', position: [1, 0, -2], rotation: [0, 0, 0, 1], scale: 1 };
    case 'propGrab':
    case 'propRelease':
    case 'propDelete':
      return { type, propId: prop };
    case 'propMove':
      return { type, propId: prop, position: [1, 0, -2], rotation: [0, 0, 0, 1], scale: 1 };
    case 'propUndo':
      return { type };
    case 'avatar':
      return { type, look: { body: '#3366cc', skin: '#c68642', hair: 'short', hairColour: '#222222', headwear: 'none', glasses: 'none' } };
    case 'voiceSignal':
      return { type, to: 'someone', kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    case 'chat':
      return { type, text: 'hello, everyone' };
    case 'react':
      return { type, reaction: 'agree' };
    case 'hand':
      return { type, raised: true };
    case 'megaphone':
      return { type, participantId: 'someone', on: true };
    case 'muteAll':
      return { type };
  }
}

/** A value of the wrong kind for whatever field it replaces: each is refused by every field. */
function wrongValue(random: () => number, pick: <T>(xs: readonly T[]) => T, freeText: boolean): { value: unknown; what: string } {
  const choices: Array<() => { value: unknown; what: string }> = [
    () => ({ value: NaN, what: 'NaN' }),
    () => ({ value: Infinity, what: 'Infinity' }),
    () => ({ value: -Infinity, what: '-Infinity' }),
    () => ({ value: { nested: { deeper: [1, 2, 3] } }, what: 'an object' }),
    () => ({ value: deep(200 + Math.floor(random() * 800)), what: 'deep nesting' }),
    () => ({ value: 'x'.repeat(MAX_HUGE - 1024 + Math.floor(random() * 1024)), what: 'a huge string' }),
    () => ({ value: new Array(2000).fill(1e308), what: 'a long array' }),
  ];
  // free text takes any characters; a hostile string is wrong only where an id or enum is wanted
  if (!freeText) choices.push(() => ({ value: pick(HOSTILE_STRINGS) + '\u0000', what: 'a hostile string' }));
  return pick(choices)();
}

function deep(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const FREE_TEXT = new Set(['text', 'comment']);
const fieldsOf = (payload: Record<string, unknown>) => Object.keys(payload).filter((k) => k !== 'type');

export function* fuzzMessages(seed: number, count: number, targets: FuzzTargets): Generator<FuzzMessage> {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < count; i++) {
    const type = pick(INTENT_TYPES);
    const base = valid(type, targets, pick);
    const roll = random();
    if (roll < 0.06) {
      // a lone surrogate in the type makes the SDK write a frame that does not decode at all (the
      // room cuts such a client off: see the garbage-bytes test), so types keep to whole characters
      yield { type: pick(HOSTILE_STRINGS.filter((s) => s !== '' && s !== '\ud800')), payload: base, mutation: 'unknown message type' };
    } else if (roll < 0.09) {
      yield { type: Math.floor(random() * 300), payload: base, mutation: 'numeric message type' };
    } else if (roll < 0.17) {
      const payload = pick<unknown>([null, undefined, 0, -1, NaN, Infinity, true, 'pose', [], [base], deep(500), 'y'.repeat(MAX_HUGE)]);
      yield { type, payload, mutation: 'not an object' };
    } else if (roll < 0.27) {
      const other = pick(INTENT_TYPES.filter((t) => t !== type));
      yield { type, payload: valid(other, targets, pick), mutation: `carries a ${other} intent` };
    } else if (roll < 0.37) {
      const payload = { ...base, [pick(['extra', '__proto__', 'constructor', 'x'.repeat(300)])]: 1 };
      yield { type, payload, mutation: 'an unknown field' };
    } else if (roll < 0.47) {
      const fields = fieldsOf(base).filter((k) => !optional(type, k));
      if (!fields.length) {
        yield { type, payload: { ...base, type: 42 }, mutation: 'a numeric type field' };
        continue;
      }
      const field = pick(fields);
      const payload = { ...base };
      delete payload[field];
      yield { type, payload, mutation: `no ${field}` };
    } else if (fieldsOf(base).length === 0) {
      yield { type, payload: { ...base, type: [type] }, mutation: 'the type field is an array' };
    } else {
      const field = pick(fieldsOf(base));
      const wrong = wrongValue(random, pick, FREE_TEXT.has(field));
      yield { type, payload: { ...base, [field]: wrong.value }, mutation: `${field} is ${wrong.what}` };
    }
  }
}

/** Fields the schema lets a client leave out (removing them leaves a valid intent). */
function optional(type: IntentType, field: string): boolean {
  const optionalByType: Partial<Record<IntentType, string[]>> = {
    move: ['rotation', 'scale'],
    page: ['spread'],
    noteAdd: ['colour'],
    noteEdit: ['text', 'colour', 'u', 'v'],
    runStart: ['documentId', 'priority'],
    runAnswer: ['comment'],
    neuralCommand: ['runId'],
    propAdd: ['rotation', 'scale'],
    propMove: ['rotation', 'scale'],
  };
  return optionalByType[type]?.includes(field) ?? false;
}
