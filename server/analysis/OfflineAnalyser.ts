/**
 * The built-in analyser: works offline with no key, on models that ship in npm (wink-nlp with its
 * English lite model for sentences, tokens, sentiment, dates and money; compromise for people,
 * places and organisations). Extractive: the summary is made of the document's own sentences.
 */
import winkNLP, { type ItemEntity, type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import nlpCompromise from 'compromise';

export interface LabelSpec {
  label: string;
  /** Words that suggest this label; the label's own words count too. */
  hints?: string[];
}

export interface Analysis {
  summary: string[];
  keywords: Array<{ term: string; score: number }>;
  sentiment: { score: number; label: 'positive' | 'negative' | 'neutral' };
  entities: { people: string[]; places: string[]; organisations: string[]; dates: string[]; money: string[] };
  labels: Array<{ label: string; score: number }>;
  provider: 'builtin';
  model: string;
}

const nlp = winkNLP(model);
const its = nlp.its;
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'VERB']);

/** Markdown down to prose: no headings marks, list bullets, emphasis, links or code fences. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+(.*)$/gm, '$1.')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`>|]+/g, ' ')
    .replace(/\.\.+/g, '.')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const unique = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x.trim()])).values()].filter(Boolean);

export function analyse(input: string, opts: { summarySentences?: number; keywords?: number; labels?: LabelSpec[] } = {}): Analysis {
  const text = plainText(input);
  const doc = nlp.readDoc(text);

  // term weights: frequency of content words that are not stop words, proper nouns counting double
  const weights = new Map<string, number>();
  doc.tokens().each((t: ItemToken) => {
    if (t.out(its.type) !== 'word' || t.out(its.stopWordFlag)) return;
    const pos = t.out(its.pos);
    if (!CONTENT_POS.has(pos)) return;
    const term = t.out(its.normal);
    if (term.length < 3) return;
    weights.set(term, (weights.get(term) ?? 0) + (pos === 'PROPN' ? 2 : 1));
  });
  const maxWeight = Math.max(1, ...weights.values());
  const keywords = [...weights.entries()]
    .filter(([term]) => !/^\d+$/.test(term))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, opts.keywords ?? 10)
    .map(([term, w]) => ({ term, score: Math.round((w / maxWeight) * 1000) / 1000 }));

  // summary: the sentences whose words weigh most (per word, so long sentences do not win by length)
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
  const wanted = opts.summarySentences ?? 3;
  const summary = [...sentences]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, wanted)
    .sort((a, b) => a.index - b.index)
    .map((s) => s.text);

  const score = Math.round(Number(doc.out(its.sentiment)) * 1000) / 1000;
  const sentiment = { score, label: score > 0.1 ? ('positive' as const) : score < -0.1 ? ('negative' as const) : ('neutral' as const) };

  const dates: string[] = [];
  const money: string[] = [];
  doc.entities().each((e: ItemEntity) => {
    const type = e.out(its.type);
    if (type === 'DATE') dates.push(e.out());
    else if (type === 'MONEY') money.push(e.out());
  });
  const c = nlpCompromise(text);
  const entities = {
    people: unique(c.people().out('array') as string[]).map((p) => p.replace(/[.,;:]+$/, '')),
    places: unique(c.places().out('array') as string[]).map((p) => p.replace(/[.,;:]+$/, '')),
    organisations: unique(c.organizations().out('array') as string[]).map((p) => p.replace(/[.,;:]+$/, '')),
    dates: unique(dates),
    money: unique(money),
  };

  const labels = (opts.labels ?? [])
    .map(({ label, hints = [] }) => {
      const words = [label, ...hints].flatMap((h) => h.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length > 2);
      const hit = words.reduce((sum, w) => sum + (weights.get(w) ?? 0), 0);
      return { label, score: Math.round((hit / (maxWeight * Math.max(1, words.length))) * 1000) / 1000 };
    })
    .sort((a, b) => b.score - a.score);

  return { summary, keywords, sentiment, entities, labels, provider: 'builtin', model: 'wink-eng-lite-web-model + compromise' };
}
