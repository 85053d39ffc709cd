/**
 * AI providers by configuration. `builtin` (the offline analyser) always exists and needs nothing;
 * every other provider is an OpenAI-compatible endpoint named here: OpenAI itself, Azure OpenAI,
 * Google's or Anthropic's OpenAI-compatible endpoints, or a local server (Ollama, vLLM, llama.cpp).
 */
import { z } from 'zod';

export const BUILTIN = 'builtin';

export const ProviderName = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _, starting with a letter');

export const ProviderConfig = z
  .strictObject({
    name: ProviderName.refine((n) => n !== BUILTIN, `"${BUILTIN}" is the offline analyser and cannot be redefined`),
    /**
     * The API root, e.g. http://127.0.0.1:11434/v1 (for Azure: the resource endpoint). Left out, the
     * openai SDK's own default endpoint (OpenAI's) is used.
     */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** The key itself; prefer apiKeyEnv so that the key stays out of configuration files. */
    apiKey: z.string().min(1).optional(),
    /** Name of the environment variable that holds the key. */
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    model: z.string().min(1).max(200),
    azure: z.strictObject({ apiVersion: z.string().min(1), deployment: z.string().min(1).optional() }).optional(),
    /** Prices in the provider's currency (usually USD) per million tokens, to record the cost of each run. */
    pricing: z.strictObject({ inputPer1M: z.number().min(0), outputPer1M: z.number().min(0) }).optional(),
    /** Attempts after the first on rate limits, time-outs and server errors (the SDK honours Retry-After). */
    maxRetries: z.number().int().min(0).max(10).default(2),
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
    /** Whether the endpoint accepts a JSON-schema response format; without it the schema goes in the prompt. */
    jsonSchema: z.boolean().default(true),
  })
  .refine((p) => !(p.apiKey && p.apiKeyEnv), { message: 'give apiKey or apiKeyEnv, not both', path: ['apiKey'] })
  .refine((p) => !p.azure || p.baseURL, { message: 'an Azure provider needs baseURL: its resource endpoint', path: ['baseURL'] });
export type ProviderConfig = z.output<typeof ProviderConfig>;

/** A configured provider with its key resolved. */
export interface ResolvedProvider extends Omit<ProviderConfig, 'apiKeyEnv'> {
  apiKey?: string;
}

export interface AiConfig {
  providers: ResolvedProvider[];
  /** Providers a step or request uses when it names none, in order of preference. */
  defaultProviders: string[];
}

const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/**
 * Reads the AI configuration from environment values: `AI_PROVIDERS` (a JSON list), the shorthand
 * `OPENAI_API_KEY` / `AI_BASE_URL` / `AI_MODEL` for one provider named "openai", and
 * `AI_DEFAULT_PROVIDERS` (comma-separated). Returns problems as messages instead of throwing.
 */
export function aiConfig(env: Record<string, string | undefined>): { ok: true; config: AiConfig } | { ok: false; message: string } {
  const providers: ResolvedProvider[] = [];
  if (env.OPENAI_API_KEY || env.AI_BASE_URL) {
    const shorthand = ProviderConfig.safeParse({ name: 'openai', ...(env.AI_BASE_URL ? { baseURL: env.AI_BASE_URL } : {}), model: env.AI_MODEL ?? DEFAULT_OPENAI_MODEL });
    if (!shorthand.success) return { ok: false, message: `AI_BASE_URL: ${shorthand.error.issues.map((i) => i.message).join('; ')}` };
    providers.push({ ...shorthand.data, apiKey: env.OPENAI_API_KEY });
  }
  if (env.AI_PROVIDERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.AI_PROVIDERS);
    } catch {
      return { ok: false, message: 'AI_PROVIDERS: not valid JSON (a list like [{"name":"local","baseURL":"http://127.0.0.1:11434/v1","model":"llama3.2"}])' };
    }
    const parsed = z.array(ProviderConfig).safeParse(raw);
    if (!parsed.success) return { ok: false, message: `AI_PROVIDERS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    for (const p of parsed.data) {
      const { apiKeyEnv, ...rest } = p;
      const apiKey = apiKeyEnv ? env[apiKeyEnv] : p.apiKey;
      if (apiKeyEnv && !apiKey) return { ok: false, message: `AI_PROVIDERS: provider "${p.name}" reads its key from ${apiKeyEnv}, which is not set` };
      providers.push({ ...rest, apiKey });
    }
  }
  const names = [BUILTIN, ...providers.map((p) => p.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) return { ok: false, message: `AI_PROVIDERS: the provider name "${dup}" is used twice` };
  // the shorthand is how most people "turn AI on", so it goes first, with the offline analyser behind it
  const fallback = providers.some((p) => p.name === 'openai') ? ['openai', BUILTIN] : [BUILTIN];
  const defaults = env.AI_DEFAULT_PROVIDERS ? env.AI_DEFAULT_PROVIDERS.split(',').map((s) => s.trim()).filter(Boolean) : fallback;
  const unknown = defaults.find((d) => !names.includes(d));
  if (unknown) return { ok: false, message: `AI_DEFAULT_PROVIDERS: no provider "${unknown}" (configured: ${names.join(', ')})` };
  return { ok: true, config: { providers, defaultProviders: defaults } };
}
