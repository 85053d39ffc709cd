import type { Repo } from './repo';

/** What the server is, as its own files say: the variables it reads, its GET routes, its default port, the npm scripts. */
export interface ServerFacts {
  envNames: ReadonlySet<string>;
  routes: ReadonlySet<string>;
  defaultPort: number;
  scripts: ReadonlySet<string>;
}

/** The routes every deployment probes; checkFiles reports when the server no longer has them. */
export const HEALTH_ROUTES = ['/api/v3/health', '/api/v3/health/ready'] as const;

export function serverFacts(repo: Repo): ServerFacts {
  const config = repo.read('server/config.ts') ?? '';
  const schema = /const EnvSchema = z\.object\(\{\n([\s\S]*?)\n\}\);/.exec(config)?.[1] ?? '';
  const envNames = new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
  const defaultPort = Number(/^ {2}PORT:.*\.default\((\d+)\)/m.exec(schema)?.[1] ?? NaN);
  const app = repo.read('server/app.ts') ?? '';
  const mount = /app\.use\('([^']+)', apiRouter\(/.exec(app)?.[1] ?? '';
  const api = repo.read('server/http/api.ts') ?? '';
  const routes = new Set([...api.matchAll(/\bapi\.get\('([^']+)'/g)].map((m) => `${mount}${m[1]!}`));
  for (const m of app.matchAll(/\bapp\.get\('(\/api\/[^']+)'/g)) routes.add(m[1]!);
  const scripts = new Set(Object.keys((JSON.parse(repo.read('package.json') ?? '{}') as { scripts?: object }).scripts ?? {}));
  return { envNames, routes, defaultPort, scripts };
}

/** Problems with what a probe command asks: its /api/… paths must be routes, its http://host:port the server's port. */
export function probeUrls(command: string, facts: ServerFacts, port: number): string[] {
  const paths = [...command.matchAll(/\/api\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]/g)].map((m) => m[0]);
  if (!paths.length) return [`asks no /api/v3/health route: ${command}`];
  const ports = [...command.matchAll(/https?:\/\/[^/\s'"]+?:(\d+)/g)].map((m) => Number(m[1]));
  return [
    ...paths.filter((p) => !facts.routes.has(p)).map((p) => `${p}: the server has no such route`),
    ...ports.filter((p) => p !== port).map((p) => `port ${p}: the server listens on ${port}`),
  ];
}
