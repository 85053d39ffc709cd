import { type LoadConfig, PLACEHOLDER_SECRET, publicHost, publicPath, refused, unknownNames } from './env';
import type { Finding } from './findings';
import { K8S, KUSTOMIZATION, type Kustomization, type Manifest, readKustomization } from './kustomize';
import type { Repo } from './repo';
import type { ServerFacts } from './server';
import { type Json, list, obj, text } from './yaml';

/** A `$(NAME)` reference in a Kubernetes env value (`$$(NAME)` is an escape). */
const REF = /(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;
const refs = (value: string) => [...value.matchAll(REF)].map((m) => m[1]!);

const podSpec = (w: Manifest) => obj(obj(obj(w.doc.spec).template).spec);
const podLabels = (w: Manifest) => obj(obj(obj(obj(w.doc.spec).template).metadata).labels);
const replicasOf = (w: Manifest) => Number(obj(w.doc.spec).replicas ?? 1);
const isOurs = (image: string) => image.split(':')[0]!.split('/').at(-1) === 'document-workflow-chain';

/**
 * Each pod's environment, in the order Kubernetes builds it: envFrom first, then env, each $(NAME)
 * only from what came before. What is wrong with it is said once, for pod 0.
 */
function podEnvironments(app: Manifest, container: Json, k: Kustomization, say: (message: string) => void) {
  const env = list(container.env).map(obj);
  const fromConfig: Record<string, string> = {};
  for (const source of list(container.envFrom).map(obj)) {
    const cm = text(obj(source.configMapRef).name);
    const sec = text(obj(source.secretRef).name);
    if (cm && !k.configMaps.has(cm)) say(`envFrom: no ConfigMap ${cm}`);
    if (sec && !k.secretKeys.has(sec)) say(`envFrom: no Secret ${sec}`);
    Object.assign(fromConfig, cm ? k.configMaps.get(cm) : {}, Object.fromEntries([...(sec ? (k.secretKeys.get(sec) ?? []) : [])].map((key) => [key, PLACEHOLDER_SECRET])));
  }
  const names = [...Object.keys(fromConfig), ...env.map((e) => String(e.name))];
  const helpers = new Set([...env.map((e) => text(e.value) ?? ''), ...Object.values(fromConfig)].flatMap(refs));

  const podEnv = (ordinal: number): Record<string, string> => {
    const values: Record<string, string> = { ...fromConfig };
    for (const e of env) {
      const name = String(e.name);
      const from = obj(e.valueFrom);
      const field = text(obj(from.fieldRef).fieldPath);
      const secret = obj(from.secretKeyRef);
      let value = text(e.value);
      if (value !== undefined) {
        for (const r of refs(value)) if (ordinal === 0 && !(r in values)) say(`env ${name}: $(${r}) is not set before it (in envFrom or earlier in env), so Kubernetes would leave it as written`);
        value = value.replace(REF, (all, r: string) => values[r] ?? all);
      } else if (field === 'metadata.name') value = app.kind === 'StatefulSet' ? `${app.name}-${ordinal}` : `${app.name}-5d8f7c9b4-x2x7q`;
      else if (field === 'status.podIP') value = `10.0.0.${ordinal + 10}`;
      else if (field) value = 'field';
      else if (secret.name) {
        const keys = k.secretKeys.get(String(secret.name));
        if (ordinal === 0 && !keys) say(`env ${name}: no Secret ${String(secret.name)} (secretGenerator or Secret)`);
        else if (ordinal === 0 && !keys?.has(String(secret.key))) say(`env ${name}: Secret ${String(secret.name)} has no key ${String(secret.key)}`);
        value = PLACEHOLDER_SECRET;
      } else if (from.configMapKeyRef) value = k.configMaps.get(String(obj(from.configMapKeyRef).name))?.[String(obj(from.configMapKeyRef).key)];
      if (value !== undefined) values[name] = value;
    }
    return values;
  };
  return { names, helpers, podEnv };
}

/** The probes ask the routes meant for them, on the server's port; the pod outlives its preStop. */
function checkProbes(app: Manifest, container: Json, facts: ServerFacts, port: number, resolvePort: (p: unknown) => number, say: (message: string) => void): void {
  const ports = list(container.ports).map(obj);
  if (!ports.some((p) => Number(p.containerPort) === port)) say(`no containerPort ${port}, the server's port`);
  const wanted = { readinessProbe: '/api/v3/health/ready', livenessProbe: '/api/v3/health', startupProbe: '/api/v3/health' } as const;
  for (const [kind, route] of Object.entries(wanted)) {
    const probe = container[kind];
    if (!probe) {
      if (kind !== 'startupProbe') say(`no ${kind}`);
      continue;
    }
    const get = obj(obj(probe).httpGet);
    const probePath = text(get.path);
    if (!probePath || !facts.routes.has(probePath)) say(`${kind}: ${String(probePath)} is not a route of the server`);
    else if (probePath !== route) say(`${kind} asks ${probePath}; it should ask ${route}${kind === 'livenessProbe' ? ' (on readiness, every pod restarts whenever MongoDB is away)' : ''}`);
    if (resolvePort(get.port) !== port) say(`${kind}: port ${String(get.port)} is not the server's ${port}`);
  }
  const preStop = obj(obj(container.lifecycle).preStop);
  if (!Object.keys(preStop).length) say('no lifecycle.preStop: the pod gets SIGTERM while the ingress may still send it requests');
  const sleep = Number(/sleep (\d+)/.exec(list(obj(preStop.exec).command).map(String).join(' '))?.[1] ?? obj(preStop.sleep).seconds ?? 0);
  const grace = Number(podSpec(app).terminationGracePeriodSeconds ?? 30);
  if (grace < sleep + 15) say(`terminationGracePeriodSeconds ${grace} leaves the server less than 15 s to close after preStop's ${sleep} s`);
}

export function checkKubernetes(repo: Repo, facts: ServerFacts, imageEnv: Record<string, string>, load: LoadConfig): Finding[] {
  const out: Finding[] = [];
  const say = (file: string, message: string) => out.push({ file, message });
  const k = readKustomization(repo, out);
  if (!k) return out;
  const workloads = k.manifests.filter((m) => m.kind === 'StatefulSet' || m.kind === 'Deployment');
  const app = workloads.find((w) => list(podSpec(w).containers).some((c) => isOurs(String(obj(c).image))));
  if (!app) return [...out, { file: K8S, message: 'no StatefulSet or Deployment runs the document-workflow-chain image' }];
  const container = obj(list(podSpec(app).containers).find((c) => isOurs(String(obj(c).image))));
  const file = app.file;
  const sayHere = (message: string) => say(file, message);
  const replicas = replicasOf(app);
  if (replicas < 2) sayHere(`${app.kind} ${app.name}: ${replicas} replica(s); several processes need two or more`);
  if (!k.imageNames.has(String(container.image).split(':')[0]!)) say(KUSTOMIZATION, `images: nothing sets the image of ${app.name} (${String(container.image)})`);

  const { names, helpers, podEnv } = podEnvironments(app, container, k, sayHere);
  for (const m of unknownNames(names, facts, helpers, `${app.kind} ${app.name} env`)) sayHere(m);
  const pods = Array.from({ length: replicas }, (_, i) => podEnv(i));
  // pods refused for the same reason are named together
  const refusals = new Map<string, number[]>();
  for (const [i, values] of pods.entries()) {
    const why = refused(load, { ...imageEnv, ...values });
    if (why) refusals.set(why, [...(refusals.get(why) ?? []), i]);
  }
  for (const [why, which] of refusals) sayHere(`pod${which.length > 1 ? 's' : ''} ${which.join(', ')} of ${app.name}: the server would refuse this environment: ${why}`);
  const publicAddresses = pods.map((v) => v.PUBLIC_ADDRESS);
  if (new Set(publicAddresses).size < publicAddresses.length) sayHere(`the pods advertise the same PUBLIC_ADDRESS (${String(publicAddresses[0])}): a world's socket would reach any pod, not the one hosting its room`);
  if (!names.includes('AUTH_SECRET')) sayHere('no AUTH_SECRET: each pod would make its own and refuse the tokens the others sign');

  const port = Number(pods[0]?.PORT ?? imageEnv.PORT ?? facts.defaultPort);
  const containerPorts = list(container.ports).map(obj);
  const resolvePort = (p: unknown) => (typeof p === 'number' ? p : Number(containerPorts.find((x) => x.name === p)?.containerPort ?? NaN));
  checkProbes(app, container, facts, port, resolvePort, sayHere);

  // Services select the pods and reach the port; the Ingresses reach Services that exist
  const services = k.manifests.filter((m) => m.kind === 'Service');
  const servicePorts = new Map(services.map((s) => [s.name, list(obj(s.doc.spec).ports).map(obj)]));
  for (const s of services) {
    const selector = obj(obj(s.doc.spec).selector);
    // the StatefulSet controller labels each of its pods with its name
    const selects = (w: Manifest) =>
      Object.keys(selector).length > 0 &&
      Object.entries(selector).every(([key, v]) =>
        key === 'statefulset.kubernetes.io/pod-name' ? w.kind === 'StatefulSet' && new RegExp(`^${w.name}-(\\d+)$`).test(String(v)) && Number(String(v).split('-').at(-1)) < replicasOf(w) : podLabels(w)[key] === v,
      );
    const target = workloads.find(selects);
    if (!target) say(s.file, `Service ${s.name}: its selector matches no pods of these manifests`);
    else if (target === app) for (const p of servicePorts.get(s.name) ?? []) if (resolvePort(p.targetPort ?? p.port) !== port) say(s.file, `Service ${s.name}: targetPort ${String(p.targetPort)} is not the server's port ${port}`);
  }
  const ingressPaths = k.manifests
    .filter((m) => m.kind === 'Ingress')
    .flatMap((ing) =>
      list(obj(ing.doc.spec).rules).flatMap((rule) =>
        list(obj(obj(rule).http).paths).map((p) => ({ ing, host: text(obj(rule).host), path: String(obj(p).path), service: obj(obj(obj(p).backend).service) })),
      ),
    );
  if (!ingressPaths.length) say(K8S, 'no Ingress');
  const host = publicHost(publicAddresses[0]);
  for (const p of ingressPaths) {
    const ports = servicePorts.get(String(p.service.name));
    const wantedPort = obj(p.service.port);
    // a port is named or numbered: an unnamed Service port must not match an Ingress port by its missing name
    const matches = (x: Json) => (wantedPort.name !== undefined && x.name === wantedPort.name) || (wantedPort.number !== undefined && Number(x.port) === Number(wantedPort.number));
    if (!ports) say(p.ing.file, `Ingress ${p.ing.name} ${p.path}: no Service ${String(p.service.name)}`);
    else if (!ports.some(matches)) say(p.ing.file, `Ingress ${p.ing.name} ${p.path}: Service ${String(p.service.name)} has no port ${String(wantedPort.name ?? wantedPort.number)}`);
    if (p.host && host && p.host !== host) say(p.ing.file, `Ingress ${p.ing.name}: host ${p.host}, but the pods advertise ${host}`);
  }
  if (!ingressPaths.some((p) => p.path === '/')) say(K8S, 'no Ingress path / for the page, the REST API and matchmaking');

  // each pod's own path: /<its address's path>/… to that pod alone, the prefix taken off
  for (const [i, address] of publicAddresses.entries()) {
    const own = publicPath(address);
    if (!own || refusals.size) continue;
    const pod = app.kind === 'StatefulSet' ? `${app.name}-${i}` : null;
    const route = ingressPaths.find((p) => p.path === own || p.path.startsWith(`${own}(`) || p.path.startsWith(`${own}/`));
    if (!route) {
      say(K8S, `pod ${i} advertises ${String(address)}, but no Ingress path ${own} leads to it`);
      continue;
    }
    const svc = services.find((s) => s.name === route.service.name);
    if (pod && svc && obj(obj(svc.doc.spec).selector)['statefulset.kubernetes.io/pod-name'] !== pod) say(svc.file, `Service ${svc.name} (Ingress path ${route.path}) does not select pod ${pod} alone`);
    const rewrite = text(obj(obj(route.ing.doc.metadata).annotations)['nginx.ingress.kubernetes.io/rewrite-target']);
    if (!rewrite || !/\$\d/.test(rewrite)) say(route.ing.file, `Ingress ${route.ing.name}: ${route.path} keeps the ${own} prefix (no rewrite-target taking it off)`);
  }
  return out;
}
