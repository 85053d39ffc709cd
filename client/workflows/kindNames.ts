/**
 * Step kinds in words: the server's registry publishes a title and a one-line description per kind
 * (GET /api/v3/workflows/steps); this table is what the 3D nodes and the builder show until that
 * has loaded, or for a kind it does not list.
 */
import { STEP_KIND, type StepKindName } from '../../shared/model/stepKinds';

export interface KindName {
  title: string;
  description: string;
}

// checked against every kind, so a new kind without words here is a type error
const KNOWN: Readonly<Record<string, KindName>> = {
  [STEP_KIND.AI_ANALYSIS]: { title: 'Analyse', description: 'Summary, keywords, sentiment, named entities and labels of the document.' },
  [STEP_KIND.AI_GENERATE]: { title: 'Generate', description: 'Writes Markdown from a prompt, the document and earlier results.' },
  [STEP_KIND.APPROVAL]: { title: 'Approval', description: 'Waits for an editor to approve or reject.' },
  [STEP_KIND.BLOCKCHAIN_ANCHOR]: { title: 'Anchor on chain', description: "Records the document's fingerprint on a blockchain." },
  [STEP_KIND.BLOCKCHAIN_VERIFY]: { title: 'Verify on chain', description: 'Checks the document against its fingerprint on chain.' },
  [STEP_KIND.DELAY]: { title: 'Delay', description: 'Waits for a while.' },
  [STEP_KIND.IOT_COMMAND]: { title: 'Device command', description: 'Gives a device of the world a command and waits for its answer.' },
  [STEP_KIND.IOT_TRIGGER]: { title: 'Device trigger', description: "Waits for a device's reading to cross a threshold or stand out; can start runs." },
  [STEP_KIND.NEURAL_TRIGGER]: { title: 'Neural trigger', description: 'Waits for a participant to give a command by gesture, hand pose or EEG.' },
  [STEP_KIND.PRESENT]: { title: 'Present', description: 'Shows the results as a panel in the world.' },
  [STEP_KIND.TRANSFORM]: { title: 'Transform', description: 'Outline, extract a section, count words, or fill a template.' },
  [STEP_KIND.WEBHOOK]: { title: 'Webhook', description: 'Sends the results so far to a URL.' },
} satisfies Record<StepKindName, KindName>;

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
