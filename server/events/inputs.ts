/**
 * What scheduling or changing an event may send, checked before anything is stored: the shape with
 * zod, then the times against the clock (ends after it starts, lasts at most a day, has not ended,
 * is not scheduled more than a year ahead).
 */
import { z } from 'zod';
import { EntityId, ErrorCode } from '../../shared/protocol';
import { EVENT_LIMITS } from '../../shared/model/events';
import { AppError } from '../errors';

/** One line of text: control characters (line breaks included) become spaces, then trimmed. */
const Title = z
  .string()
  .max(EVENT_LIMITS.titleChars * 4)
  .transform((s) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())
  .pipe(z.string().min(1, 'give the event a title').max(EVENT_LIMITS.titleChars, `at most ${EVENT_LIMITS.titleChars} characters`));
/** Paragraphs: line breaks kept (as \n), other control characters removed. */
const Description = z
  .string()
  .max(EVENT_LIMITS.descriptionChars * 4)
  .transform((s) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim())
  .pipe(z.string().max(EVENT_LIMITS.descriptionChars, `at most ${EVENT_LIMITS.descriptionChars} characters`));
const Time = z.iso.datetime({ offset: true, message: 'a date and time like 2026-05-02T09:30:00Z' }).transform((s) => new Date(s).toISOString());
const Capacity = z.number().int('a whole number').min(1).max(EVENT_LIMITS.maxCapacity);

export const ScheduleEvent = z.strictObject({
  worldId: EntityId,
  title: Title,
  description: Description.default(''),
  startsAt: Time,
  endsAt: Time,
  capacity: Capacity.default(EVENT_LIMITS.defaultCapacity),
});
export type ScheduleEvent = z.infer<typeof ScheduleEvent>;

export const ChangeEvent = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  startsAt: Time.optional(),
  endsAt: Time.optional(),
  capacity: Capacity.optional(),
});
export type ChangeEvent = z.infer<typeof ChangeEvent>;

export { parse } from '../validate';

/** Refuses times a person cannot mean, saying what to change. */
export function checkTimes(startsAt: string, endsAt: string, now: number): void {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  const refuse = (why: string) => new AppError(ErrorCode.BAD_REQUEST, why);
  if (end <= start) throw refuse('The event must end after it starts.');
  if (end - start > EVENT_LIMITS.maxDurationMs) throw refuse(`An event may last at most ${EVENT_LIMITS.maxDurationMs / 3600_000} hours; split a longer one into several.`);
  if (end <= now) throw refuse('That event would already be over; choose an end time in the future.');
  if (start - now > EVENT_LIMITS.maxLeadMs) throw refuse('Events can be scheduled up to a year ahead.');
}
