import type { ServerFacts } from './server';

/** Variables set in the deployment files that the server does not read, and why they are there. */
export const EXTERNAL_VARIABLES: Readonly<Record<string, string>> = {
  NODE_ENV: 'Node and express: production mode',
  OTEL_EXPORTER_OTLP_HEADERS: "read by the OpenTelemetry exporter itself (README's Configuration)",
  OTEL_EXPORTER_OTLP_TIMEOUT: "read by the OpenTelemetry exporter itself (README's Configuration)",
};

/** server/config.ts's loadConfig, or a stand-in in tests: throws with what is wrong. */
export type LoadConfig = (env: Record<string, string | undefined>) => unknown;

/** A secret the deployment leaves to its operator, long enough for AUTH_SECRET. */
export const PLACEHOLDER_SECRET = 'checkDeploy-placeholder-secret-0123456789abcdef';

/** Whether a deployment may set this variable: the server reads it, or something documented does. */
export const isKnownVariable = (name: string, facts: ServerFacts): boolean => facts.envNames.has(name) || Object.hasOwn(EXTERNAL_VARIABLES, name);

/**
 * Messages for the names nothing reads. `helpers` are names the file itself uses (Kubernetes'
 * `$(NAME)` references), which need not reach the server.
 */
export function unknownNames(names: Iterable<string>, facts: ServerFacts, helpers: ReadonlySet<string>, where: string): string[] {
  return [...names]
    .filter((n) => !isKnownVariable(n, facts) && !helpers.has(n))
    .map((n) => `${where}: ${n} is read by neither server/config.ts nor anything documented (a typo, or a variable the server dropped?)`);
}

/** Why the server would refuse this environment at start, on one line, or null when it starts. */
export function refused(load: LoadConfig, env: Record<string, string | undefined>): string | null {
  try {
    load(env);
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^Invalid configuration:\s*/, '').replace(/\s*\n\s*/g, '; ');
  }
}

/**
 * `NAME=value` as compose's environment lists, kustomize's literals and env files write it. A bare
 * `NAME` has no value: compose then passes the variable through from its own environment, which
 * here sets nothing.
 */
export function assignment(entry: string): [name: string, value: string | undefined] {
  const at = entry.indexOf('=');
  return at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
}

/** The path of a PUBLIC_ADDRESS (`host:port/p1` → `/p1`), null when it has none. */
export const publicPath = (address: string | undefined): string | null => /^[^/]+(\/.+)$/.exec(address ?? '')?.[1] ?? null;

/** The host of a PUBLIC_ADDRESS (`host:port/p1` → `host`). */
export const publicHost = (address: string | undefined): string | undefined => address?.split('/')[0]?.replace(/:\d+$/, '');
