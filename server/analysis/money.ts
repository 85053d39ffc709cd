/**
 * Amounts of money in euros, dollars, pounds and Swiss francs, in the forms people write them:
 * "€12,500", "EUR 12.500,00", "12 500 euros", "1.2 million euros", "$4,000", "£300", "USD 1,200.50".
 * Each is found from its number: one linear scan for numbers, then a look at a few characters
 * either side of each for a currency and a multiplier, so hostile text costs no more than its length.
 */

export interface Amount {
  /** As written in the document. */
  text: string;
  /** In units of the currency, rounded to cents. */
  value: number;
  /** ISO 4217 code. */
  currency: string;
}

/** Grouped thousands ("12,500", "12.500,00", "12 500") or a plain number ("12500", "1.2"). */
const NUMBER = /\d{1,3}(?:[ ,.'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?/g;
const BEFORE = /(?:([€$£])|\b(EUR|USD|GBP|CHF)|\b(US)\$)[ \u00a0]?$/;
const MULTIPLIER = /^[ \u00a0]?(million|billion|thousand|mn|bn|m|k)\b/i;
const AFTER = /^[ \u00a0]?(?:(euros?|eur|dollars?|usd|pounds?|gbp|chf|francs?)\b|([€$£]))/i;
const SCALE: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, mn: 1e6, m: 1e6, billion: 1e9, bn: 1e9 };
const CODE: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', euro: 'EUR', dollar: 'USD', pound: 'GBP', franc: 'CHF' };

function currencyCode(word: string): string {
  const w = word.toLowerCase().replace(/s$/, '');
  return CODE[w] ?? CODE[word] ?? word.toUpperCase();
}

/**
 * A written number as a value. With one kind of separator, a single one followed by exactly three
 * digits groups thousands ("2.500" is two thousand five hundred), unless a multiplier follows
 * ("1.250 million"); with both kinds, the last one is the decimal point.
 */
export function numberValue(written: string, scaled = false): number {
  const digits = written.replace(/[ '\u00a0\u202f]/g, '');
  const last = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  if (last < 0) return Number(digits);
  const sep = digits[last]!;
  const other = sep === '.' ? ',' : '.';
  const decimals = digits.length - last - 1;
  const seps = digits.split(sep).length - 1;
  const isDecimal = digits.includes(other) || (seps === 1 && (decimals !== 3 || scaled));
  const whole = (isDecimal ? digits.slice(0, last) : digits).replace(/[.,]/g, '');
  return Number(isDecimal ? `${whole}.${digits.slice(last + 1)}` : whole);
}

/** Every amount in `text` with a currency, each value and currency once (the first form kept), at most `limit`. */
export function findAmounts(text: string, limit = Infinity): Amount[] {
  const found = new Map<string, Amount>();
  for (const m of text.matchAll(NUMBER)) {
    if (found.size >= limit) break;
    const start = m.index;
    let end = start + m[0].length;
    const before = BEFORE.exec(text.slice(Math.max(0, start - 5), start));
    const scale = MULTIPLIER.exec(text.slice(end, end + 12));
    if (scale) end += scale[0].length;
    const after = before ? null : AFTER.exec(text.slice(end, end + 12));
    const currencyWord = before ? (before[1] ?? before[2] ?? 'USD') : after ? (after[1] ?? after[2]) : undefined;
    if (!currencyWord) continue;
    if (after) end += after[0].length;
    const value = Math.round(numberValue(m[0], !!scale) * (scale ? SCALE[scale[1]!.toLowerCase()]! : 1) * 100) / 100;
    if (!Number.isFinite(value)) continue;
    const from = before ? start - before[0].length : start;
    const currency = currencyCode(currencyWord);
    const key = `${currency} ${value}`;
    if (!found.has(key)) found.set(key, { text: text.slice(from, end).trim(), value, currency });
  }
  return [...found.values()];
}
