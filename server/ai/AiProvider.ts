/** What every AI provider does, the offline analyser and OpenAI-compatible endpoints alike. */
import type { AnalysisBody, AnalysisOptions } from './analysisResult';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateRequest {
  /** What to write. */
  prompt: string;
  /** Material to write from: the document and earlier results, as text. */
  context: string;
  maxTokens: number;
  temperature: number;
}

export interface AiProvider {
  readonly name: string;
  readonly model: string;
  analyse(text: string, opts: AnalysisOptions, signal: AbortSignal): Promise<{ body: AnalysisBody; usage: TokenUsage }>;
  /** Writes Markdown; `onText` receives the whole text so far each time more of it arrives. */
  generate(req: GenerateRequest, signal: AbortSignal, onText: (soFar: string) => void): Promise<{ text: string; usage: TokenUsage }>;
  /** Asks the provider something that costs nothing (its model list): resolves when it answers. Absent where there is nothing to reach. */
  probe?(signal: AbortSignal): Promise<void>;
}

/** Why one provider could not answer. `retryable` when the same request may succeed later. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly code: 'UNREACHABLE' | 'RATE_LIMITED' | 'TIMEOUT' | 'REFUSED' | 'SERVER_ERROR' | 'MALFORMED_REPLY' | 'NOT_CONFIGURED',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
