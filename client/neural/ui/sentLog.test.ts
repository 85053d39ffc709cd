import { describe, expect, it } from 'vitest';
import { NOTHING_WAITING, SentLog } from './sentLog';

describe('answers to sent commands', () => {
  it('says once, quietly, that nothing waits, however often the command is sent again', () => {
    const log = new SentLog();
    for (let i = 0; i < 5; i++) {
      log.sent(`eeg:confirm:${i}`, 'confirm sent (eeg)');
      log.answer(false, 'No run in this world is waiting for a neural command.', true);
    }
    expect(log.shown()).toEqual([{ key: 'nothing-waiting', text: NOTHING_WAITING, state: 'idle' }]);
    expect(log.shown().some((l) => l.state === 'refused')).toBe(false);
  });

  it('shows a real refusal with its reason, and an acceptance, and drops the quiet note then', () => {
    const log = new SentLog();
    log.sent('a', 'confirm sent (eeg)');
    log.answer(false, 'nothing waits', true);
    log.sent('b', 'confirm sent (eeg)');
    log.answer(false, 'This step waits for Ann, not for Bob.');
    expect(log.shown()).toEqual([{ key: 'b', text: 'confirm — This step waits for Ann, not for Bob.', state: 'refused' }]);
    log.sent('c', 'relax sent (eeg)');
    log.answer(true, 'accepted by the waiting run');
    expect(log.shown().map((l) => l.state)).toEqual(['accepted', 'refused']);
  });

  it('answers commands in the order they were sent', () => {
    const log = new SentLog();
    log.sent('first', 'confirm sent (eeg)');
    log.sent('second', 'relax sent (eeg)');
    log.answer(true, 'accepted');
    expect(log.shown().map((l) => [l.key, l.state])).toEqual([
      ['second', 'waiting'],
      ['first', 'accepted'],
    ]);
  });
});
