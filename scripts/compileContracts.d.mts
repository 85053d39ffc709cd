/** Types for compileContracts.mjs. */
/** Compiles the Solidity contracts when their sources changed; returns the output folder. */
export function ensureContracts(): string;
