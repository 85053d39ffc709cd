/**
 * Scoring for the analyser's quality benchmark: entity precision, recall and F1 against labels,
 * and ROUGE-1/ROUGE-2 overlap of a summary with a reference summary (lower-cased words, no
 * stemming, counts clipped as in the original ROUGE).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nameKey } from '../../server/analysis/names';
import { findAmounts } from '../../server/analysis/money';

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');
export const NAME_TYPES = ['people', 'organisations', 'places'] as const;
export type EntityType = (typeof NAME_TYPES)[number] | 'money';

export interface Labelled {
  file: string;
  text: string;
  people: string[];
  organisations: string[];
  places: string[];
  money: Array<[string, number]>;
  summary: string;
}

export function loadCorpus(dir = CORPUS_DIR): Labelled[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<string, Omit<Labelled, 'file' | 'text'>>;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const label = labels[file];
      if (!label) throw new Error(`${file} has no labels in labels.json`);
      return { file, text: readFileSync(join(dir, file), 'utf8'), ...label };
    });
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/**
 * True and false positives and misses; each expected item matched at most once, so a name listed
 * twice (in the same form or in two forms) counts once as found and once as a false positive.
 */
export function matchCounts(found: string[], expected: string[]): Counts {
  const left = [...new Set(expected)];
  let tp = 0;
  for (const f of found) {
    const i = left.indexOf(f);
    if (i >= 0) {
      tp++;
      left.splice(i, 1);
    }
  }
  return { tp, fp: found.length - tp, fn: left.length };
}

/** Names compared as the analyser compares them: case, punctuation, titles and legal forms aside. */
export const nameKeys = (names: string[]) => names.map((n) => nameKey(n.replace(/['’]s$/, '')).filter((w) => !['mr', 'mrs', 'ms', 'dr', 'the'].includes(w)).join(' '));
/** Amounts compared by currency and value; a string that reads as no amount stays unmatched. */
export const moneyKeys = (written: string[]) => written.map((w) => findAmounts(w)[0]).map((a, i) => (a ? `${a.currency} ${a.value}` : `? ${written[i]}`));

export function prf({ tp, fp, fn }: Counts): { p: number; r: number; f1: number } {
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}

export const addCounts = (a: Counts, b: Counts): Counts => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn });

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function grams(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-n recall, precision and F1 of `candidate` against `reference`. */
export function rouge(candidate: string, reference: string, n: number): { r: number; p: number; f1: number } {
  const cand = grams(words(candidate), n);
  const ref = grams(words(reference), n);
  let overlap = 0;
  for (const [g, c] of cand) overlap += Math.min(c, ref.get(g) ?? 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const r = total(ref) ? overlap / total(ref) : 0;
  const p = total(cand) ? overlap / total(cand) : 0;
  return { r, p, f1: r + p ? (2 * r * p) / (r + p) : 0 };
}
