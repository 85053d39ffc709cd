/**
 * Quality of the offline analyser on the labelled documents in bench/analysis/corpus: entity
 * precision, recall and F1 per type, and ROUGE-1/ROUGE-2 of the summary against a reference
 * summary, for the analyser as it was ("before": its own summary, and lead-3, the first three
 * sentences) beside the analyser now, with the ratio. Also times a 100,000-character document.
 * Prints tables and writes bench/results/analysis.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyse } from '../../server/analysis/OfflineAnalyser';
import { baselineAnalyse } from './baseline';
import { entityF1, overall, scoreDocument, type Scores } from './evaluate';
import { NAME_TYPES, loadCorpus, prf } from './metrics';

const pct = (x: number) => x.toFixed(2);
const ratio = (now: number, before: number) => (before ? `${(now / before).toFixed(2)}×` : '—');

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

/** Median wall time of `runs` calls after one warm-up. */
function time(f: () => unknown, runs = 3): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function runAnalysisQualityBench(): Promise<unknown> {
  const corpus = loadCorpus();
  const before: Scores[] = [];
  const lead3: Scores[] = [];
  const now: Scores[] = [];
  const lines = [row(['document', 'entity F1 before', 'now', 'ROUGE-1 F1 lead-3', 'before', 'now', 'ROUGE-2 F1 lead-3', 'before', 'now']), row(Array(9).fill('---'))];
  for (const doc of corpus) {
    const old = baselineAnalyse(doc.text);
    const b = scoreDocument(doc, old);
    const l = scoreDocument(doc, { summary: old.lead3, entities: old.entities });
    const n = scoreDocument(doc, analyse(doc.text));
    before.push(b);
    lead3.push(l);
    now.push(n);
    lines.push(row([doc.file, pct(entityF1(b)), pct(entityF1(n)), pct(l.rouge1.f1), pct(b.rouge1.f1), pct(n.rouge1.f1), pct(l.rouge2.f1), pct(b.rouge2.f1), pct(n.rouge2.f1)]));
  }
  const [B, L, N] = [overall(before), overall(lead3), overall(now)];

  lines.push('', row(['entities (all documents)', 'P before', 'R before', 'F1 before', 'P now', 'R now', 'F1 now', 'F1 now/before']), row(Array(8).fill('---')));
  for (const type of [...NAME_TYPES, 'money', 'all'] as const) {
    const [b, n] = [prf(B.entities[type]), prf(N.entities[type])];
    lines.push(row([type, pct(b.p), pct(b.r), pct(b.f1), pct(n.p), pct(n.r), pct(n.f1), ratio(n.f1, b.f1)]));
  }
  lines.push('', row(['summary (mean of documents)', 'lead-3', 'before', 'now', 'now/lead-3', 'now/before']), row(Array(6).fill('---')));
  for (const [name, pick] of [
    ['ROUGE-1 recall', (s: Scores) => s.rouge1.r],
    ['ROUGE-1 F1', (s: Scores) => s.rouge1.f1],
    ['ROUGE-2 recall', (s: Scores) => s.rouge2.r],
    ['ROUGE-2 F1', (s: Scores) => s.rouge2.f1],
  ] as const) {
    lines.push(row([name, pct(pick(L)), pct(pick(B)), pct(pick(N)), ratio(pick(N), pick(L)), ratio(pick(N), pick(B))]));
  }

  // a long document of realistic prose: the corpus over and over, cut at 100,000 characters
  const all = corpus.map((d) => d.text).join('\n\n');
  const long = all.repeat(Math.ceil(100_000 / all.length)).slice(0, 100_000);
  const msBefore = time(() => baselineAnalyse(long));
  const msNow = time(() => analyse(long));
  lines.push('', `100,000-character document: ${Math.round(msNow)} ms now, ${Math.round(msBefore)} ms before (median of 3, one thread).`);
  process.stdout.write(`${corpus.length} labelled documents\n\n${lines.join('\n')}\n`);

  const result = { documents: corpus.map((d, i) => ({ file: d.file, before: before[i], lead3: lead3[i], now: now[i] })), overall: { before: B, lead3: L, now: N }, longDocumentMs: { before: msBefore, now: msNow } };
  mkdirSync(path.resolve('bench/results'), { recursive: true });
  writeFileSync(path.resolve('bench/results/analysis.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
