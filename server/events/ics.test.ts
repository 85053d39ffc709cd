import { describe, expect, it } from 'vitest';
import { calendarFile, calendarFileName, escapeText, fold, utc, type CalendarEvent } from './ics';

const base: CalendarEvent = {
  uid: 'ev123@example.test',
  stamp: new Date('2026-05-01T08:00:00.000Z'),
  start: new Date('2026-05-02T09:30:00.000Z'),
  end: new Date('2026-05-02T11:00:00.000Z'),
  summary: 'Contract review',
  description: 'Bring the redlines',
  url: 'https://example.test:3000/#/w/abc',
  location: 'Studio (Document Workflow Chain)',
  cancelled: false,
};

/** The file unfolded into its logical lines, as a calendar app reads it. */
const unfold = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n');

describe('the .ics writer', () => {
  it('EVENT-4: writes one VEVENT in a VCALENDAR with CRLF line ends and UTC times', () => {
    const ics = calendarFile(base);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(ics);
    expect(lines.slice(0, 6)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Document Workflow Chain//Events//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'BEGIN:VEVENT']);
    expect(lines).toContain('UID:ev123@example.test');
    expect(lines).toContain('DTSTAMP:20260501T080000Z');
    expect(lines).toContain('DTSTART:20260502T093000Z');
    expect(lines).toContain('DTEND:20260502T110000Z');
    expect(lines).toContain('SUMMARY:Contract review');
    expect(lines).toContain('URL:https://example.test:3000/#/w/abc');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
    expect(calendarFile({ ...base, cancelled: true })).toContain('STATUS:CANCELLED');
    expect(calendarFile({ ...base, description: '' })).not.toContain('DESCRIPTION');
    expect(utc(new Date('2026-12-31T23:59:59.999Z'))).toBe('20261231T235959Z');
  });

  it('EVENT-4: escapes backslash, semicolon, comma and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('tab\there\u0000\u001b[31m')).toBe('tabhere[31m');
    expect(unfold(calendarFile({ ...base, summary: 'Q3; budget, plan\\draft' }))).toContain('SUMMARY:Q3\\; budget\\, plan\\\\draft');
  });

  it('EVENT-4: keeps hostile text inside its own property: no line it writes can start a property', () => {
    const hostile = 'Party\r\nATTENDEE:mailto:evil@example.test\nEND:VEVENT\r\nBEGIN:VEVENT\rDTSTART:19700101T000000Z';
    const lines = unfold(calendarFile({ ...base, summary: hostile, description: hostile, location: hostile, url: 'https://x.test/#/w/a\r\nX-EVIL:1 b' }));
    expect(lines.filter((l) => l.startsWith('ATTENDEE') || l.startsWith('X-EVIL'))).toEqual([]);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('DTSTART'))).toEqual(['DTSTART:20260502T093000Z']);
    expect(lines).toContain('URL:https://x.test/#/w/a%0D%0AX-EVIL:1%20b');
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toBe('SUMMARY:Party\\nATTENDEE:mailto:evil@example.test\\nEND:VEVENT\\nBEGIN:VEVENT\\nDTSTART:19700101T000000Z');
  });

  it('EVENT-4: folds lines at 75 octets without splitting a UTF-8 character', () => {
    const long = `DESCRIPTION:${'ä€😀x'.repeat(40)}`;
    const folded = fold(long);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, line] of physical.entries()) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(line.startsWith(' ')).toBe(true);
      // a split character would not survive decoding and re-encoding unchanged
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
      expect(line).not.toMatch(/[\ud800-\udfff]/u);
    }
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    expect(fold('SUMMARY:short')).toBe('SUMMARY:short');
    expect(fold('X'.repeat(75))).toBe('X'.repeat(75));
    expect(fold('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
  });

  it('EVENT-4: names the download after the title, safely', () => {
    expect(calendarFileName('Contract review: Q3')).toBe('Contract-review-Q3.ics');
    expect(calendarFileName('../../etc/passwd"\r\nX: y')).toBe('etc-passwd-X-y.ics');
    expect(calendarFileName('Café über')).toBe('Cafe-uber.ics');
    expect(calendarFileName('😀😀')).toBe('event.ics');
    expect(calendarFileName('a'.repeat(500))).toHaveLength(64);
  });
});
