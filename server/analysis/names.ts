/**
 * Names of people and organisations, cleaned and counted once. compromise finds most of them;
 * these rules add the organisations it misses (capitalised names that end in a company word, such
 * as "Northwind Logistics" or "Acme Engineering Ltd") and fold the forms one name takes in a
 * document ("Maria Schmidt", "Ms. Schmidt", "Schmidt's") into its longest one. Everything here
 * walks tokens or short strings; no pattern runs over the document itself.
 */

export interface Token {
  text: string;
  pos: string;
  stop: boolean;
}

/** Legal forms: part of a company's name, but the same company without them. */
const LEGAL = new Set(['ltd', 'limited', 'gmbh', 'inc', 'incorporated', 'llc', 'llp', 'ag', 'sa', 'sas', 'plc', 'co', 'corp', 'bv', 'nv', 'srl', 'sarl', 'oy', 'ab', 'as', 'kg', 'spa']);
/** Words that end the name of an organisation. */
const COMPANY_WORDS = new Set([
  ...['logistics', 'engineering', 'systems', 'solutions', 'group', 'holdings', 'bank', 'university', 'corporation', 'company'],
  ...['partners', 'associates', 'consulting', 'technologies', 'labs', 'industries', 'foundation', 'institute', 'agency'],
  ...['services', 'software', 'insurance', 'capital', 'energy', 'analytics', 'pharmaceuticals', 'airlines', 'motors', 'media'],
  ...['trust', 'council', 'association', 'international'],
]);
/** Words that open the name of an institution when "of" follows: "Bank of England". */
const OF_HEADS = new Set(['bank', 'university', 'institute', 'ministry', 'department', 'council', 'college', 'museum']);
/** compromise reads a capitalised month or weekday as a first name. */
const CALENDAR = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const HONORIFIC = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'alderman', 'councillor', 'mayor']);

const bare = (word: string) => word.replace(/[.,;:]+$/, '').toLowerCase();
const isCapitalised = (word: string) => /^[A-Z][\p{L}'’.&-]*$/u.test(word) || word === '&';
/** A legal form written in capitals or as usual ("AS" but not "as"; "plc" but not the word "co"). */
const isLegal = (word: string) => LEGAL.has(bare(word)) && (word !== word.toLowerCase() || bare(word) === 'plc');

/** Organisations that end in a company word or legal form, or read "Bank of …", in one sentence. */
export function ruleOrganisations(tokens: Token[]): string[] {
  const found: string[] = [];
  let run: Token[] = [];
  const flush = () => {
    let end = run.length;
    while (end > 0 && !COMPANY_WORDS.has(bare(run[end - 1]!.text)) && !isLegal(run[end - 1]!.text)) end--;
    let start = Math.max(0, end - 6);
    while (start < end && (run[start]!.stop || run[start]!.pos !== 'PROPN' || run[start]!.text === '&')) start++;
    const name = run.slice(start, end);
    if (name.length >= 2 && name.some((t) => !COMPANY_WORDS.has(bare(t.text)) && !isLegal(t.text))) found.push(joinTokens(name));
    run = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const ofName = t.text === 'of' && run.length > 0 && OF_HEADS.has(bare(run[run.length - 1]!.text)) && next && isCapitalised(next.text);
    if (isCapitalised(t.text) || isLegal(t.text) || ofName) {
      run.push(ofName ? { ...t, pos: 'PROPN', stop: false } : t);
      continue;
    }
    if (run.some((r) => r.text === 'of')) found.push(joinTokens(run.slice(run.findIndex((r) => OF_HEADS.has(bare(r.text))))));
    else flush();
    run = [];
  }
  if (run.length) flush();
  return found;
}

function joinTokens(tokens: Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(' ')
    .replace(/ ([.,])/g, '$1');
}

/** A name without a trailing stop, a possessive, a leading "the" or a title. */
export function cleanName(name: string, person: boolean): string {
  let words = name.trim().replace(/[.,;:]+$/, '').replace(/['’]s$/, '').split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === 'the') words = words.slice(1);
  if (person) while (words.length > 1 && HONORIFIC.has(bare(words[0]!))) words = words.slice(1);
  return words.join(' ');
}

/** The words a name is compared by: lower case, no punctuation, no legal form. */
export function nameKey(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[\s,.]+/)
    .filter((w) => w && !LEGAL.has(w));
}

/** Distinct names compared with each other at most: folding is quadratic in their number. */
const MAX_CANDIDATES = 1_000;
/** First-mentioned distinct names, at most MAX_CANDIDATES of them. */
const candidates = (names: string[]) => [...new Set(names)].slice(0, MAX_CANDIDATES);

const startsWith = (long: string[], short: string[]) => short.length <= long.length && short.every((w, i) => long[i] === w);
const endsWith = (long: string[], short: string[]) => short.length <= long.length && short.every((w, i) => long[long.length - short.length + i] === w);

/** Organisations once each: "Acme", "Acme Engineering" and "Acme Engineering Ltd." are one, shown in the longest form. */
export function dedupeOrganisations(names: string[]): string[] {
  // a name has a capital somewhere: compromise also offers common nouns such as "steering committee"
  const cleaned = names.map((n) => cleanName(n, false)).filter((n) => nameKey(n).length && /\p{Lu}/u.test(n));
  const byLength = candidates(cleaned).sort((a, b) => b.length - a.length);
  const kept: Array<{ name: string; key: string[]; first: number }> = [];
  for (const name of byLength) {
    const key = nameKey(name);
    const first = cleaned.indexOf(name);
    const same = kept.find((k) => startsWith(k.key, key));
    if (same) same.first = Math.min(same.first, first);
    else kept.push({ name, key, first });
  }
  return kept.sort((a, b) => a.first - b.first).map((k) => k.name);
}

/**
 * People once each, in the longest form: "Ms. Schmidt" and "Schmidt's" fold into "Maria Schmidt".
 * A bare surname or first name is dropped when it belongs to a fuller name; a name that is one of
 * the organisations, or the start of one, is not a person.
 */
export function dedupePeople(names: string[], organisations: string[]): string[] {
  const orgKeys = organisations.map(nameKey);
  const cleaned = names.map((n) => cleanName(n, true)).filter((n) => /\p{L}/u.test(n));
  const people = cleaned.filter((n) => !orgKeys.some((k) => startsWith(k, nameKey(n))) && !nameKey(n).every((w) => CALENDAR.has(w)));
  const byLength = candidates(people).sort((a, b) => nameKey(b).length - nameKey(a).length || b.length - a.length);
  const kept: Array<{ name: string; key: string[]; first: number }> = [];
  for (const name of byLength) {
    const key = nameKey(name);
    const first = people.indexOf(name);
    const same = kept.find((k) => (key.length === 1 ? k.key.includes(key[0]!) : endsWith(k.key, key) || (k.key[0] === key[0] && k.key.at(-1) === key.at(-1))));
    if (same) same.first = Math.min(same.first, first);
    else kept.push({ name, key, first });
  }
  return kept.sort((a, b) => a.first - b.first).map((k) => k.name);
}
