/** Pieces of the embedded store's keys that sort as text the way their values sort. */

/** Between the parts of a key: sorts before any character a part may hold. */
export const SEP = '\x00';

/** A time in milliseconds as 15 digits, so times sort as text in time order. */
export const sortableTime = (at: number) => String(Math.max(0, Math.floor(at))).padStart(15, '0');
