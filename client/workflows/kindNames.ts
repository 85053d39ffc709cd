/**
 * Step kinds in words: the server's registry publishes a title and a one-line description per kind
 * (GET /api/v3/workflows/steps); this table is what the 3D nodes and the builder show until that
 * has loaded, or for a kind it does not list.
 */
export interface KindName {
  title: string;
  description: string;
}

const KNOWN: Readonly<Record<string, KindName>> = {
  ai_analysis: { title: 'Analyse', description: 'Summary, keywords, sentiment, named entities and labels of the document.' },
  ai_generate: { title: 'Generate', description: 'Writes Markdown from a prompt, the document and earlier results.' },
  approval: { title: 'Approval', description: 'Waits for an editor to approve or reject.' },
  blockchain_anchor: { title: 'Anchor on chain', description: "Records the document's fingerprint on a blockchain." },
  blockchain_verify: { title: 'Verify on chain', description: 'Checks the document against its fingerprint on chain.' },
  delay: { title: 'Delay', description: 'Waits for a while.' },
  neural_trigger: { title: 'Neural trigger', description: 'Waits for a participant to give a command by gesture, hand pose or EEG.' },
  present: { title: 'Present', description: 'Shows the results as a panel in the world.' },
  transform: { title: 'Transform', description: 'Outline, extract a section, count words, or fill a template.' },
  webhook: { title: 'Webhook', description: 'Sends the results so far to a URL.' },
};

/** "blockchain_anchor" → "Blockchain anchor", for a kind nobody described. */
function spelled(kind: string): string {
  const words = kind.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The title and description of a kind: the server's when it gave them, else the table's, else the kind spelled out. */
export function kindName(kind: string, published: readonly { kind: string; title: string; description: string }[] = []): KindName {
  const p = published.find((k) => k.kind === kind);
  if (p) return { title: p.title, description: p.description };
  return KNOWN[kind] ?? { title: spelled(kind), description: '' };
}
