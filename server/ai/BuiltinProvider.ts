/**
 * The offline provider: analysis by the built-in analyser, and generation as a plain Markdown
 * brief assembled from the material (its key sentences and terms). It never calls out, costs
 * nothing and is always there, so every AI step works on a machine with no key and no network.
 * The analyser runs in worker threads, so a long document never holds up the rooms.
 */
import { AnalyserPool } from '../analysis/analyserPool';
import type { Analysis } from '../analysis/OfflineAnalyser';
import { PoolError } from '../analysis/workerPool';
import { BUILTIN } from './providers';
import { ProviderError, type AiProvider, type GenerateRequest, type TokenUsage } from './AiProvider';

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/** The Markdown the built-in provider writes for a prompt, from the analysis of its material. Pure. */
export function builtinBrief(req: GenerateRequest, material: Pick<Analysis, 'summary' | 'keywords'> | undefined): string {
  const title = req.prompt.split(/\r?\n/)[0]!.replace(/^#+\s*/, '').trim().slice(0, 120) || 'Notes';
  const parts = [`# ${title}`];
  if (material) {
    if (material.summary.length) parts.push('## Key points', material.summary.map((s) => `- ${s}`).join('\n'));
    if (material.keywords.length) parts.push('## Key terms', material.keywords.map((k) => k.term).join(', '));
  } else {
    parts.push('_There was no material to write from._');
  }
  parts.push('---', '_Written by the built-in offline writer; configure an AI provider for prose._');
  return `${parts.join('\n\n')}\n`;
}

/** A pool failure as the provider error the AI service falls over on. */
function asProviderError(err: unknown): unknown {
  if (!(err instanceof PoolError)) return err;
  switch (err.code) {
    case 'TIMEOUT':
      return new ProviderError('TIMEOUT', err.message, false);
    case 'BUSY':
      return new ProviderError('RATE_LIMITED', err.message, true);
    case 'FAILED':
      return new ProviderError('SERVER_ERROR', err.message, false);
    default:
      return new ProviderError('SERVER_ERROR', err.message, true);
  }
}

export function createBuiltinProvider(pool: AnalyserPool): AiProvider {
  const analyse = async (...args: Parameters<AnalyserPool['analyse']>) => {
    try {
      return await pool.analyse(...args);
    } catch (err) {
      throw asProviderError(err);
    }
  };
  return {
    name: BUILTIN,
    model: 'wink-eng-lite-web-model + compromise',
    async analyse(text, opts, signal) {
      const { provider: _p, model: _m, ...body } = await analyse(text, opts, { signal });
      return { body, usage: NO_TOKENS };
    },
    async generate(req, signal, onText) {
      const material = req.context.trim() ? await analyse(req.context, { summarySentences: 5, keywords: 8 }, { signal }) : undefined;
      const text = builtinBrief(req, material);
      onText(text);
      return { text, usage: NO_TOKENS };
    },
  };
}

/** The provider every AI service uses; its workers start on the first analysis. */
export const builtinProvider = createBuiltinProvider(new AnalyserPool());
