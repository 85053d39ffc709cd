/**
 * An event as an iCalendar file (RFC 5545) that calendar apps import: one VEVENT in a VCALENDAR,
 * CRLF line ends, text values escaped and long lines folded at 75 octets. Whatever a title or
 * description holds, it stays inside its own property: line breaks become `\n`, other control
 * characters are dropped.
 */

export interface CalendarEvent {
  /** Globally unique and stable: the same event imported twice is updated, not duplicated. */
  uid: string;
  /** When this file was made. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  /** Where to join (the world's page). */
  url: string;
  location: string;
  cancelled: boolean;
}

const PRODID = '-//Document Workflow Chain//Events//EN';
const MAX_OCTETS = 75;

/** A TEXT value with `\ ; ,` and line breaks escaped and other control characters removed (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A UTC DATE-TIME: 20260101T090000Z. */
export function utc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * One content line folded to at most 75 octets per line (RFC 5545 3.1): continuation lines start
 * with a space, and a multi-octet UTF-8 character is never split between two lines.
 */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      // the leading space of a continuation line counts towards its 75
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** A URI value: control characters and spaces cannot appear in one, so any are percent-encoded. */
function uri(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f]/g, (c) => encodeURIComponent(c));
}

export function calendarFile(e: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${utc(e.stamp)}`,
    `DTSTART:${utc(e.start)}`,
    `DTEND:${utc(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    `LOCATION:${escapeText(e.location)}`,
    `URL:${uri(e.url)}`,
    `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A file name for the download made from the title: letters, digits, `-` and `_` only. */
export function calendarFileName(title: string): string {
  const safe = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '');
  return `${safe || 'event'}.ics`;
}
