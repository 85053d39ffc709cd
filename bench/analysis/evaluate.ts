/** One analyser's scores on the labelled corpus: entities per type and summary overlap, per document and overall. */
import { NAME_TYPES, addCounts, matchCounts, moneyKeys, nameKeys, prf, rouge, type Counts, type EntityType, type Labelled } from './metrics';

export interface Output {
  summary: string[];
  entities: { people: string[]; organisations: string[]; places: string[]; money: string[] };
}

export interface Scores {
  entities: Record<EntityType | 'all', Counts>;
  rouge1: { r: number; f1: number };
  rouge2: { r: number; f1: number };
}

const TYPES: Array<EntityType> = [...NAME_TYPES, 'money'];
const NONE: Counts = { tp: 0, fp: 0, fn: 0 };

export function scoreDocument(doc: Labelled, out: Output): Scores {
  const entities = {} as Scores['entities'];
  let all = NONE;
  for (const type of TYPES) {
    const counts =
      type === 'money'
        ? matchCounts(moneyKeys(out.entities.money), doc.money.map(([c, v]) => `${c} ${v}`))
        : matchCounts(nameKeys(out.entities[type]), nameKeys(doc[type]));
    entities[type] = counts;
    all = addCounts(all, counts);
  }
  entities.all = all;
  const summary = out.summary.join(' ');
  return { entities, rouge1: rouge(summary, doc.summary, 1), rouge2: rouge(summary, doc.summary, 2) };
}

/** Entity counts summed over documents (micro-averaged F1), ROUGE averaged over documents. */
export function overall(scores: Scores[]): Scores {
  const entities = {} as Scores['entities'];
  for (const type of [...TYPES, 'all'] as const) entities[type] = scores.reduce((sum, s) => addCounts(sum, s.entities[type]), NONE);
  const mean = (pick: (s: Scores) => number) => scores.reduce((sum, s) => sum + pick(s), 0) / Math.max(1, scores.length);
  return {
    entities,
    rouge1: { r: mean((s) => s.rouge1.r), f1: mean((s) => s.rouge1.f1) },
    rouge2: { r: mean((s) => s.rouge2.r), f1: mean((s) => s.rouge2.f1) },
  };
}

export const entityF1 = (s: Scores, type: EntityType | 'all' = 'all') => prf(s.entities[type]).f1;
