import { assignment, type LoadConfig, PLACEHOLDER_SECRET, publicPath, refused, unknownNames } from './env';
import type { Finding } from './findings';
import type { Repo } from './repo';
import { probeUrls, type ServerFacts } from './server';
import { list, obj, readYaml, text } from './yaml';

/** Compose's `${VAR:-default}`, `${VAR:?message}`, `${VAR}` with no variable set: what the file gives by itself. */
export function interpolate(value: string): { value: string; required: string[] } {
  const required: string[] = [];
  const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (all === '$$') return '$';
    if (op?.endsWith('-')) return arg ?? '';
    if (op?.endsWith('?')) {
      required.push(name!);
      return PLACEHOLDER_SECRET;
    }
    return '';
  });
  return { value: out, required };
}

/** A service's `environment`, in either of compose's forms; undefined where it passes a variable through unset. */
function composeEnv(environment: unknown): Record<string, string | undefined> {
  if (Array.isArray(environment)) return Object.fromEntries(environment.map((e) => assignment(String(e))));
  return Object.fromEntries(Object.entries(obj(environment)).map(([k, v]) => [k, text(v)]));
}

/** The host ports a service publishes, in the short (`"8080:80"`) and the long (`published: 8080`) syntax. */
function publishedPorts(ports: unknown): string[] {
  return list(ports)
    .map((p) => (typeof p === 'object' ? text(obj(p).published) : String(p).split(':').at(-2)))
    .filter((p): p is string => !!p);
}

/** The host a store's URL names, or null when it is no URL (the server's validation reports that). */
function urlHost(url: string): string | null {
  const normal = url.replace(/^mongodb\+srv:/, 'mongodb:');
  return URL.canParse(normal) ? new URL(normal).hostname : null;
}

export interface AppProcess {
  service: string;
  port: number;
  /** The path of its PUBLIC_ADDRESS behind the proxy (`/p1`), or null. */
  publicPath: string | null;
}

export interface ComposeResult {
  findings: Finding[];
  apps: AppProcess[];
}

export function checkCompose(repo: Repo, facts: ServerFacts, imageEnv: Record<string, string>, load: LoadConfig): ComposeResult {
  const file = 'compose.yaml';
  const raw = repo.read(file);
  if (raw === undefined) return { findings: [{ file, message: 'missing' }], apps: [] };
  const findings: Finding[] = [];
  const say = (message: string) => findings.push({ file, message });
  const yaml = readYaml(raw);
  if (yaml.errors.length) return { findings: [{ file, message: `not YAML: ${yaml.errors[0]!}` }], apps: [] };
  const services = obj(yaml.docs[0]?.services);
  const ours = Object.entries(services).filter(([, s]) => obj(s).build !== undefined);
  if (ours.length < 2) say(`${ours.length} service(s) built from the Dockerfile: several processes need two or more`);
  const apps: AppProcess[] = [];
  const secrets = new Set<string>();
  const images = new Set<string>();
  const addresses = new Map<string, string>();
  for (const [name, s] of ours.map(([n, s]) => [n, obj(s)] as const)) {
    const env = composeEnv(s.environment);
    images.add(text(s.image) ?? '(none)');
    for (const m of unknownNames(Object.keys(env), facts, new Set(), `services.${name}.environment`)) say(m);
    const resolved = Object.fromEntries(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [[k, interpolate(v).value]])));
    const why = refused(load, { ...imageEnv, ...resolved });
    if (why) say(`services.${name}: the server would refuse this environment: ${why}`);
    secrets.add(env.AUTH_SECRET ?? '(unset)');
    if (!env.AUTH_SECRET) say(`services.${name}: no AUTH_SECRET: each process would make its own and refuse the tokens the others sign`);
    const port = Number(resolved.PORT ?? imageEnv.PORT ?? facts.defaultPort);
    const address = resolved.PUBLIC_ADDRESS;
    if (address) {
      if (addresses.has(address)) say(`services.${name}: PUBLIC_ADDRESS ${address} is also ${addresses.get(address)}'s: a socket meant for one would reach the other`);
      addresses.set(address, name);
    }
    apps.push({ service: name, port, publicPath: why ? null : publicPath(address) });
    // `test` is a list (["CMD", …]) or, in the shell form, a string
    const healthTest = obj(s.healthcheck).test;
    const test = typeof healthTest === 'string' ? healthTest : list(healthTest).map(String).join(' ');
    if (!test) say(`services.${name}: no healthcheck, so nothing can wait for it to be ready`);
    else for (const m of probeUrls(test, facts, port)) say(`services.${name}.healthcheck: ${m}`);
    const depends = obj(s.depends_on);
    for (const url of [resolved.REDIS_URL, resolved.MONGODB_URI].filter((u): u is string => !!u)) {
      const host = urlHost(url);
      if (host === null || !(host in services)) continue; // a store outside this file
      if (obj(depends[host]).condition !== 'service_healthy') say(`services.${name}: depends_on ${host} should have condition: service_healthy`);
      if (!obj(services[host]).healthcheck) say(`services.${host}: no healthcheck for ${name} to wait on`);
    }
  }
  if (secrets.size > 1) say(`the processes' AUTH_SECRET differ (${[...secrets].join(' / ')}): tokens signed by one would be refused by another`);
  if (images.size > 1) say(`the processes run different images (${[...images].join(', ')})`);

  const proxy = Object.entries(services).find(([, s]) => list(obj(s).volumes).some((v) => (text(obj(v).source) ?? String(v)).includes('deploy/nginx.conf')));
  if (!proxy) say('no proxy service mounts deploy/nginx.conf');
  else {
    const [name, s] = [proxy[0], obj(proxy[1])];
    for (const a of apps) if (obj(obj(s.depends_on)[a.service]).condition !== 'service_healthy') say(`services.${name}: depends_on ${a.service} should have condition: service_healthy`);
    if (!s.healthcheck) say(`services.${name}: no healthcheck`);
    const published = publishedPorts(s.ports);
    for (const [address, app] of addresses) {
      const port = /^[^/]*:(\d+)/.exec(address)?.[1];
      if (port && !published.includes(port)) say(`services.${app}: PUBLIC_ADDRESS ${address} names port ${port}, which ${name} does not publish (${published.join(', ') || 'none'})`);
    }
  }
  return { findings, apps };
}
