/**
 * The offline provider: analysis by the built-in analyser, and generation as a plain Markdown
 * brief assembled from the material (its key sentences and terms). It never calls out, costs
 * nothing and is always there, so every AI step works on a machine with no key and no network.
 */
import { analyse } from '../analysis/OfflineAnalyser';
import { BUILTIN } from './providers';
import type { AiProvider, GenerateRequest, TokenUsage } from './AiProvider';

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/** The Markdown the built-in provider writes for a prompt. Pure. */
export function builtinBrief(req: GenerateRequest): string {
  const title = req.prompt.split(/\r?\n/)[0]!.replace(/^#+\s*/, '').trim().slice(0, 120) || 'Notes';
  const parts = [`# ${title}`];
  if (req.context.trim()) {
    const a = analyse(req.context, { summarySentences: 5, keywords: 8 });
    if (a.summary.length) parts.push('## Key points', a.summary.map((s) => `- ${s}`).join('\n'));
    if (a.keywords.length) parts.push('## Key terms', a.keywords.map((k) => k.term).join(', '));
  } else {
    parts.push('_There was no material to write from._');
  }
  parts.push('---', '_Written by the built-in offline writer; configure an AI provider for prose._');
  return `${parts.join('\n\n')}\n`;
}

export const builtinProvider: AiProvider = {
  name: BUILTIN,
  model: 'wink-eng-lite-web-model + compromise',
  async analyse(text, opts) {
    const { provider: _p, model: _m, ...body } = analyse(text, opts);
    return { body, usage: NO_TOKENS };
  },
  async generate(req, _signal, onText) {
    const text = builtinBrief(req);
    onText(text);
    return { text, usage: NO_TOKENS };
  },
};
