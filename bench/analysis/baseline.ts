/**
 * The offline analyser's summary and entities as they were before sentences were ranked by
 * TextRank and entities cleaned up: kept here, frozen, so the quality benchmark can show the
 * difference. Also the "lead-3" summary (a document's first three sentences).
 */
import winkNLP, { type ItemEntity, type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import nlpCompromise from 'compromise';
import { entityChunks, plainText } from '../../server/analysis/OfflineAnalyser';

const nlp = winkNLP(model);
const its = nlp.its;
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'VERB']);
const unique = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x.trim()])).values()].filter(Boolean);

export interface BaselineResult {
  lead3: string[];
  summary: string[];
  entities: { people: string[]; places: string[]; organisations: string[]; money: string[] };
}

export function baselineAnalyse(input: string): BaselineResult {
  const text = plainText(input).replace(/\S{65,}/g, ' ');
  const doc = nlp.readDoc(text);
  const weights = new Map<string, number>();
  doc.tokens().each((t: ItemToken) => {
    if (t.out(its.type) !== 'word' || t.out(its.stopWordFlag)) return;
    const pos = t.out(its.pos);
    if (!CONTENT_POS.has(pos)) return;
    const term = t.out(its.normal);
    if (term.length < 3) return;
    weights.set(term, (weights.get(term) ?? 0) + (pos === 'PROPN' ? 2 : 1));
  });
  const sentences: Array<{ text: string; index: number; score: number }> = [];
  doc.sentences().each((s, index) => {
    let sum = 0;
    let words = 0;
    s.tokens().each((t: ItemToken) => {
      if (t.out(its.type) !== 'word') return;
      words++;
      sum += weights.get(t.out(its.normal)) ?? 0;
    });
    const text = s.out().trim();
    if (text) sentences.push({ text, index, score: words ? sum / Math.sqrt(words) : 0 });
  });
  const summary = [...sentences]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, 3)
    .sort((a, b) => a.index - b.index)
    .map((s) => s.text);

  const money: string[] = [];
  doc.entities().each((e: ItemEntity) => {
    if (e.out(its.type) === 'MONEY') money.push(e.out());
  });
  const named = { people: [] as string[], places: [] as string[], organisations: [] as string[] };
  for (const chunk of entityChunks(sentences.map((s) => s.text))) {
    const c = nlpCompromise(chunk);
    named.people.push(...(c.people().out('array') as string[]));
    named.places.push(...(c.places().out('array') as string[]));
    named.organisations.push(...(c.organizations().out('array') as string[]));
  }
  const trimmed = (xs: string[]) => unique(xs).map((p) => p.replace(/[.,;:]+$/, ''));
  return {
    lead3: sentences.slice(0, 3).map((s) => s.text),
    summary,
    entities: { people: trimmed(named.people), places: trimmed(named.places), organisations: trimmed(named.organisations), money: unique(money) },
  };
}
