/**
 * AI for steps and routes: runs a request on the named providers in order of preference, falling
 * over to the next when one fails, caches results by (content hash, parameters, provider, model)
 * and reports the tokens and cost of each call.
 */
import { createHash } from 'node:crypto';
import type { CacheStore } from '../adapters/storage/CacheStore';
import type { Logger } from '../log';
import type { AnalysisBody, AnalysisOptions } from './analysisResult';
import { ProviderError, type AiProvider, type GenerateRequest, type TokenUsage } from './AiProvider';
import { builtinProvider } from './BuiltinProvider';
import { OpenAiProvider } from './OpenAiProvider';
import { BUILTIN, type AiConfig, type ResolvedProvider } from './providers';

/** What one answered request used. `cost` is null when the provider has no pricing configured. */
export interface AiUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cost: number | null;
  /** True when the result came from the cache and no provider was called. */
  cached: boolean;
}

/** One provider that was tried and did not answer. */
export interface ProviderAttempt {
  provider: string;
  code: string;
  message: string;
}

export interface Answered<T> {
  result: T;
  provider: string;
  model: string;
  usage: AiUsage;
  /** Providers tried before the one that answered. */
  failures: ProviderAttempt[];
}

/** Every named provider failed; `failures` says how each one did. */
export class AiFailure extends Error {
  override name = 'AiFailure';
  constructor(
    readonly failures: ProviderAttempt[],
    readonly retryable: boolean,
  ) {
    super(`No AI provider could answer: ${failures.map((f) => `${f.provider}: ${f.message}`).join('; ')}.`);
  }
}

export interface AiServiceOptions {
  config: AiConfig;
  cache: CacheStore;
  log: Logger;
  /** Providers made some other way (tests); they take precedence over configured ones of the same name. */
  extra?: AiProvider[];
  /** Told of every ask of a provider: answered, served from the cache, or failed (for the metrics). */
  observe?: (call: AiCall) => void;
}

/** One ask of an AI provider, as the metrics count it. */
export interface AiCall {
  provider: string;
  operation: string;
  outcome: 'answered' | 'cached' | 'failed';
  code?: string;
  inputTokens: number;
  outputTokens: number;
  /** In the provider's configured price units; null when it has no price. */
  cost: number | null;
  seconds: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class AiService {
  private readonly providers = new Map<string, AiProvider>();
  private readonly pricing = new Map<string, ResolvedProvider['pricing']>();
  readonly defaultProviders: readonly string[];

  constructor(private readonly o: AiServiceOptions) {
    this.providers.set(BUILTIN, builtinProvider);
    for (const p of o.config.providers) {
      this.providers.set(p.name, new OpenAiProvider(p, o.log));
      this.pricing.set(p.name, p.pricing);
    }
    for (const p of o.extra ?? []) this.providers.set(p.name, p);
    this.defaultProviders = o.config.defaultProviders;
  }

  /** Each provider that lives elsewhere, with a way to ask whether it answers (for readiness). */
  reachable(): Array<{ name: string; probe(signal: AbortSignal): Promise<void> }> {
    return [...this.providers.values()].flatMap((p) => (p.probe ? [{ name: p.name, probe: p.probe.bind(p) }] : []));
  }

  /** Names and models of the providers, for the API. */
  describe(): Array<{ name: string; model: string; default: boolean }> {
    return [...this.providers.values()].map((p) => ({ name: p.name, model: p.model, default: this.defaultProviders.includes(p.name) }));
  }

  analyse(text: string, opts: AnalysisOptions & { providers?: readonly string[] }, signal: AbortSignal): Promise<Answered<AnalysisBody>> {
    const params = { summarySentences: opts.summarySentences, labels: opts.labels };
    return this.firstAnswer('analyse', sha256(text), params, opts.providers, signal, async (p) => {
      const { body, usage } = await p.analyse(text, params, signal);
      return { value: body, usage };
    });
  }

  generate(req: GenerateRequest & { providers?: readonly string[] }, signal: AbortSignal, onText: (soFar: string) => void): Promise<Answered<string>> {
    const params = { maxTokens: req.maxTokens, temperature: req.temperature };
    const content = sha256(JSON.stringify([req.prompt, req.context]));
    return this.firstAnswer('generate', content, params, req.providers, signal, async (p) => {
      onText('');
      const { text, usage } = await p.generate(req, signal, onText);
      return { value: text, usage };
    }, onText);
  }

  private async firstAnswer<T>(
    op: string,
    contentHash: string,
    params: unknown,
    names: readonly string[] | undefined,
    signal: AbortSignal,
    call: (p: AiProvider) => Promise<{ value: T; usage: TokenUsage }>,
    onCached?: (value: T) => void,
  ): Promise<Answered<T>> {
    const failures: ProviderAttempt[] = [];
    let retryable = false;
    for (const name of names?.length ? names : this.defaultProviders) {
      const provider = this.providers.get(name);
      if (!provider) {
        failures.push({ provider: name, code: 'NOT_CONFIGURED', message: `no provider "${name}" is configured` });
        continue;
      }
      // the offline analyser costs nothing to run again, and caching it would outlive its upgrades
      const key = name === BUILTIN ? undefined : sha256(JSON.stringify([op, contentHash, params, name, provider.model]));
      const hit = key ? await this.cached<T>(key) : undefined;
      if (hit !== undefined) {
        onCached?.(hit);
        const usage = this.usage(provider, { inputTokens: 0, outputTokens: 0 }, true);
        this.o.observe?.({ provider: name, operation: op, outcome: 'cached', inputTokens: 0, outputTokens: 0, cost: 0, seconds: 0 });
        return { result: hit, provider: name, model: provider.model, usage, failures };
      }
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const { value, usage } = await call(provider);
        const used = this.usage(provider, usage, false);
        this.o.observe?.({ provider: name, operation: op, outcome: 'answered', inputTokens: used.inputTokens, outputTokens: used.outputTokens, cost: used.cost, seconds: seconds() });
        if (key) await this.o.cache.put(key, value).catch((err: unknown) => this.o.log.warn({ err }, 'could not cache an AI result'));
        return { result: value, provider: name, model: provider.model, usage: used, failures };
      } catch (err) {
        if (signal.aborted) throw err;
        const pe = err instanceof ProviderError ? err : new ProviderError('UNREACHABLE', err instanceof Error ? err.message : String(err), true);
        const paid = (err as { usage?: TokenUsage }).usage;
        this.o.observe?.({ provider: name, operation: op, outcome: 'failed', code: pe.code, inputTokens: paid?.inputTokens ?? 0, outputTokens: paid?.outputTokens ?? 0, cost: paid ? this.usage(provider, paid, false).cost : 0, seconds: seconds() });
        retryable ||= pe.retryable;
        failures.push({ provider: name, code: pe.code, message: pe.message });
        this.o.log.warn({ provider: name, code: pe.code, reason: pe.message }, 'AI provider failed; trying the next');
      }
    }
    throw new AiFailure(failures, retryable);
  }

  private async cached<T>(key: string): Promise<T | undefined> {
    try {
      return (await this.o.cache.get(key)) as T | undefined;
    } catch (err) {
      this.o.log.warn({ err }, 'could not read the AI cache');
      return undefined;
    }
  }

  private usage(p: AiProvider, u: TokenUsage, cached: boolean): AiUsage {
    const price = this.pricing.get(p.name);
    const cost = p.name === BUILTIN || cached ? 0 : price ? Math.round(((u.inputTokens * price.inputPer1M + u.outputTokens * price.outputPer1M) / 1e6) * 1e6) / 1e6 : null;
    return { provider: p.name, model: p.model, inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.inputTokens + u.outputTokens, cost, cached };
  }
}
