/** Types for compileContracts.mjs. */
export const CONTRACTS_DIR: string;
export function contractSources(): Record<string, { content: string }>;
/** The digest each artifact records of the sources it was compiled from. */
export function sourcesHash(sources?: Record<string, { content: string }>): string;
/** Compiles every contract and writes its artifact; returns the files written. */
export function compileContracts(): string[];
