/**
 * A run's results as a readable Markdown panel. Outputs that look like an analysis become a
 * summary a person can read (sentences, keywords, sentiment, names); outputs that look like an
 * on-chain proof become the proof (network, transaction, block, time, and whether the document
 * still verifies); anything else is listed field by field.
 */

export interface ProofCheck {
  verified: boolean;
  anchored: boolean;
  /** False when the stored document changed since it was anchored. */
  unchanged?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (xs: unknown) => (Array.isArray(xs) ? xs.map(String).filter(Boolean) : []);

function isAnalysis(o: Obj): boolean {
  return Array.isArray(o.summary) && isObj(o.sentiment);
}

function isProof(o: Obj): boolean {
  return typeof o.txHash === 'string' && typeof o.blockNumber === 'number';
}

function analysisMarkdown(step: string, o: Obj): string[] {
  const parts = [`## Summary (${step})`, ...list(o.summary).map((s) => `> ${s}`)];
  const keywords = Array.isArray(o.keywords) ? o.keywords.map((k) => (isObj(k) ? String(k.term ?? '') : String(k))).filter(Boolean) : [];
  if (keywords.length) parts.push(`**Keywords**: ${keywords.join(', ')}`);
  const s = o.sentiment as Obj;
  parts.push(`**Sentiment**: ${String(s.label ?? 'neutral')} (${Number(s.score ?? 0).toFixed(2)})`);
  if (isObj(o.entities)) {
    const names: Array<[string, string]> = [
      ['people', 'People'],
      ['places', 'Places'],
      ['organisations', 'Organisations'],
      ['dates', 'Dates'],
      ['money', 'Money'],
    ];
    for (const [key, label] of names) {
      const found = list((o.entities as Obj)[key]);
      if (found.length) parts.push(`- **${label}**: ${found.join(', ')}`);
    }
  }
  const labels = Array.isArray(o.labels) ? o.labels.filter(isObj).map((l) => `${String(l.label)} ${Number(l.score ?? 0).toFixed(2)}`) : [];
  if (labels.length) parts.push(`**Labels**: ${labels.join(', ')}`);
  if (typeof o.provider === 'string') parts.push(`*Analysed by ${o.provider}${typeof o.model === 'string' ? ` (${o.model})` : ''}.*`);
  return parts;
}

function proofMarkdown(step: string, o: Obj, check: ProofCheck | undefined): string[] {
  const parts = [
    `## Proof on chain (${step})`,
    `- **Network**: ${String(o.network)}${typeof o.chainId === 'number' ? ` (chain ${o.chainId})` : ''}`,
    `- **Transaction**: ${String(o.txHash)}`,
    `- **Block**: ${String(o.blockNumber)}`,
    `- **Time**: ${String(o.blockTime ?? '')}`,
    `- **Document hash**: ${String(o.hash ?? '')}`,
    `- **Registry**: ${String(o.registry ?? '')}`,
  ];
  if (check) {
    const state = check.verified
      ? 'yes: the stored document is the one anchored'
      : !check.anchored
        ? 'no: the document is not anchored on this network'
        : 'no: the document changed since it was anchored';
    parts.push(`- **Verified**: ${state}`);
  }
  return parts;
}

export function resultsMarkdown(title: string, outputs: Record<string, unknown>, proofChecks: Record<string, ProofCheck> = {}): string {
  const parts = [`# ${title}`];
  for (const [step, output] of Object.entries(outputs)) {
    if (isObj(output) && isAnalysis(output)) parts.push(...analysisMarkdown(step, output));
    else if (isObj(output) && isProof(output)) parts.push(...proofMarkdown(step, output, proofChecks[step]));
    else {
      parts.push(`## ${step}`);
      if (isObj(output)) {
        for (const [k, v] of Object.entries(output)) parts.push(`- **${k}**: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      } else parts.push(String(JSON.stringify(output)));
    }
  }
  return parts.join('\n\n');
}

/** Steps whose output is an on-chain proof, so the panel can say whether it still verifies. */
export function proofSteps(outputs: Record<string, unknown>): Array<[string, string | undefined]> {
  return Object.entries(outputs)
    .filter(([, o]) => isObj(o) && isProof(o))
    .map(([step, o]) => [step, typeof (o as Obj).network === 'string' ? ((o as Obj).network as string) : undefined]);
}
