/**
 * The built-in analyser: works offline with no key, on models that ship in npm (wink-nlp with its
 * English lite model for sentences, tokens, sentiment and dates; compromise for people, places and
 * organisations, with rules for company names and amounts of money). Extractive: the summary is
 * made of the document's own sentences, ranked by TextRank.
 */
import winkNLP, { type ItemEntity, type ItemSentence, type ItemToken, type ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import nlpCompromise from 'compromise';
import { findAmounts, type Amount } from './money';
import { dedupeOrganisations, dedupePeople, ruleOrganisations, type Token } from './names';
import { closeLines, summarise, type Sentence } from './summarise';

export interface LabelSpec {
  label: string;
  /** Words that suggest this label; the label's own words count too. */
  hints?: string[];
}

export interface Analysis {
  summary: string[];
  keywords: Array<{ term: string; score: number }>;
  sentiment: { score: number; label: 'positive' | 'negative' | 'neutral' };
  /** `money` as written; `amounts` the same amounts with their value and currency code. */
  entities: { people: string[]; places: string[]; organisations: string[]; dates: string[]; money: string[]; amounts: Amount[] };
  labels: Array<{ label: string; score: number }>;
  /** Present when the document was longer than the analyser reads: how much of it was read. */
  coverage?: { analysedCharacters: number; totalCharacters: number };
  provider: 'builtin';
  model: string;
}

const nlp = winkNLP(model);
const its = nlp.its;
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'VERB']);
// the lite model ships the lemmatiser; its typings ask for addons the token reader passes itself
const LEMMA = its.lemma as unknown as ItsFunction<string>;

/**
 * Markdown down to prose: no headings marks, list bullets, emphasis, links or code fences. Every
 * pattern stays linear on hostile text: `[ \t]` where a line is meant (under /m a `\s` runs on
 * across line breaks and is retried from every line), and link parts that cannot contain their
 * own opening bracket, so each scan stops at the next one instead of running to the end.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^[\]]*\]\([^()]*\)/g, ' ')
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*)$/gm, '$1.')
    .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/[*_`>|]+/g, ' ')
    .replace(/\.\.+/g, '.')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Names of one kind listed at most, as many as an analysis result may hold. */
const MAX_LISTED = 100;
const unique = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x.trim()])).values()].filter(Boolean).slice(0, MAX_LISTED);

/** How much of a document is analysed; the result says when the rest was left out. */
export const MAX_ANALYSED_CHARS = 100_000;
/** Runs of more than 64 characters without a space are not words (data, padding), and wink-nlp slows on them. */
const NOT_A_WORD = /\S{65,}/g;
/** compromise slows with the square of a sentence's length, so it reads the text in pieces this long. */
const ENTITY_CHUNK_CHARS = 1_000;

export interface AnalyseOptions {
  summarySentences?: number;
  keywords?: number;
  labels?: LabelSpec[];
}

/** The start of `input` the analyser reads: whole when short enough, else cut at a space. */
function analysedPart(input: string): string {
  if (input.length <= MAX_ANALYSED_CHARS) return input;
  const cut = input.slice(0, MAX_ANALYSED_CHARS);
  const space = cut.search(/\s\S*$/);
  return space > MAX_ANALYSED_CHARS / 2 ? cut.slice(0, space) : cut;
}

/** Sentences packed into pieces of at most ENTITY_CHUNK_CHARS, a longer sentence cut at spaces. */
export function entityChunks(sentences: string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  const add = (piece: string) => {
    if (current && current.length + 1 + piece.length > ENTITY_CHUNK_CHARS) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current} ${piece}` : piece;
  };
  for (const sentence of sentences) {
    if (sentence.length <= ENTITY_CHUNK_CHARS) {
      add(sentence);
      continue;
    }
    let piece = '';
    for (const word of sentence.split(/\s+/)) {
      if (piece && piece.length + 1 + word.length > ENTITY_CHUNK_CHARS) {
        add(piece);
        piece = '';
      }
      piece = piece ? `${piece} ${word}` : word;
    }
    if (piece) add(piece);
  }
  if (current) chunks.push(current);
  return chunks;
}

export function analyse(input: string, opts: AnalyseOptions = {}): Analysis {
  const part = analysedPart(input);
  const text = closeLines(plainText(part).replace(NOT_A_WORD, ' '));
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

  const sentences: Sentence[] = [];
  const ruleOrgs: string[] = [];
  doc.sentences().each((s: ItemSentence) => {
    const bag = new Set<string>();
    const tokens: Token[] = [];
    let sum = 0;
    let capitalised = 0;
    let hasVerb = false;
    let words = 0;
    s.tokens().each((t: ItemToken) => {
      const word = t.out();
      const pos = t.out(its.pos);
      const stop = t.out(its.stopWordFlag) as boolean;
      // punctuation stays in: it ends a run of capitalised words ("Landlord: Greystone Group")
      tokens.push({ text: word, pos, stop });
      if (t.out(its.type) !== 'word') return;
      words++;
      sum += weights.get(t.out(its.normal)) ?? 0;
      if (/^\p{Lu}/u.test(word)) capitalised++;
      if (pos === 'VERB' || pos === 'AUX') hasVerb = true;
      if (!stop && CONTENT_POS.has(pos) && word.length > 2) bag.add(t.out(LEMMA));
    });
    const text = s.out().trim();
    if (!text) return;
    sentences.push({ text, bag, words, capitalised, hasVerb, weight: words ? sum / Math.sqrt(words) : 0 });
    ruleOrgs.push(...ruleOrganisations(tokens));
  });
  const summary = summarise(sentences, opts.summarySentences ?? 3);

  const score = Math.round(Number(doc.out(its.sentiment)) * 1000) / 1000;
  const sentiment = { score, label: score > 0.1 ? ('positive' as const) : score < -0.1 ? ('negative' as const) : ('neutral' as const) };

  const dates: string[] = [];
  doc.entities().each((e: ItemEntity) => {
    if (e.out(its.type) === 'DATE') dates.push(e.out());
  });
  const named = { people: [] as string[], places: [] as string[], organisations: [] as string[] };
  for (const chunk of entityChunks(sentences.map((s) => s.text))) {
    const c = nlpCompromise(chunk);
    named.people.push(...(c.people().out('array') as string[]));
    named.places.push(...(c.places().out('array') as string[]));
    named.organisations.push(...(c.organizations().out('array') as string[]));
  }
  const organisations = dedupeOrganisations([...named.organisations, ...ruleOrgs]).slice(0, MAX_LISTED);
  const amounts = findAmounts(text, MAX_LISTED);
  const entities = {
    people: dedupePeople(named.people, organisations).slice(0, MAX_LISTED),
    places: unique(named.places.map((p) => p.replace(/[.,;:]+$/, ''))),
    organisations,
    dates: unique(dates),
    money: amounts.map((a) => a.text),
    amounts,
  };

  const labels = (opts.labels ?? [])
    .map(({ label, hints = [] }) => {
      const words = [label, ...hints].flatMap((h) => h.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length > 2);
      const hit = words.reduce((sum, w) => sum + (weights.get(w) ?? 0), 0);
      return { label, score: Math.round((hit / (maxWeight * Math.max(1, words.length))) * 1000) / 1000 };
    })
    .sort((a, b) => b.score - a.score);

  const coverage = part.length < input.length ? { analysedCharacters: part.length, totalCharacters: input.length } : undefined;
  return { summary, keywords, sentiment, entities, labels, ...(coverage && { coverage }), provider: 'builtin', model: 'wink-eng-lite-web-model + compromise' };
}
