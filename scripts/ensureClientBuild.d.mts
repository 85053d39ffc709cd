/** Types for ensureClientBuild.mjs, so TypeScript callers (the e2e tests) are checked. */

/** Returns why a build is needed, or null when dist/client is current. */
export function staleReason(): string | null;

/** Builds dist/client when it is missing or stale; resolves true when it built. */
export function ensureClientBuild(options?: { quiet?: boolean }): Promise<boolean>;
