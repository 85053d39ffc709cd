import { assignment } from './env';
import type { Finding } from './findings';
import type { Repo } from './repo';
import { type Json, list, obj, readYaml } from './yaml';

export const K8S = 'deploy/k8s';
export const KUSTOMIZATION = `${K8S}/kustomization.yaml`;

export interface Manifest {
  file: string;
  kind: string;
  name: string;
  doc: Json;
}

/** What deploy/k8s/kustomization.yaml puts together: its resources' manifests, ConfigMaps and Secrets generated or not, the images it sets. */
export interface Kustomization {
  manifests: Manifest[];
  /** ConfigMap name → its keys and values. */
  configMaps: Map<string, Record<string, string>>;
  /** Secret name → its keys (the values are the operator's). */
  secretKeys: Map<string, Set<string>>;
  imageNames: Set<string>;
}

/** Reads the kustomization, or says why it cannot; what is wrong on the way goes to `findings`. */
export function readKustomization(repo: Repo, findings: Finding[]): Kustomization | null {
  const say = (file: string, message: string) => findings.push({ file, message });
  const raw = repo.read(KUSTOMIZATION);
  if (raw === undefined) {
    say(KUSTOMIZATION, 'missing');
    return null;
  }
  const yaml = readYaml(raw);
  if (yaml.errors.length) {
    say(KUSTOMIZATION, `not YAML: ${yaml.errors[0]!}`);
    return null;
  }
  const kust = yaml.docs[0] ?? {};
  const manifests: Manifest[] = [];
  for (const resource of list(kust.resources).map(String)) {
    const file = `${K8S}/${resource}`;
    const source = repo.read(file);
    if (source === undefined) {
      say(KUSTOMIZATION, `resources: ${resource} does not exist`);
      continue;
    }
    const { docs, errors } = readYaml(source);
    for (const error of errors) say(file, `not YAML: ${error}`);
    for (const doc of docs) if (doc.kind) manifests.push({ file, kind: String(doc.kind), name: String(obj(doc.metadata).name), doc });
  }
  const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);

  const configMaps = new Map<string, Record<string, string>>();
  for (const g of list(kust.configMapGenerator).map(obj)) {
    configMaps.set(String(g.name), Object.fromEntries(list(g.literals).map((l) => assignment(String(l))).map(([k, v]) => [k, v ?? ''])));
  }
  for (const m of ofKind('ConfigMap')) configMaps.set(m.name, Object.fromEntries(Object.entries(obj(m.doc.data)).map(([k, v]) => [k, String(v)])));

  const secretKeys = new Map<string, Set<string>>();
  for (const g of list(kust.secretGenerator).map(obj)) {
    const keys = new Set(list(g.literals).map((l) => assignment(String(l))[0]));
    for (const envFile of list(g.envs).map(String)) {
      // the operator writes the secret file; the repository has its example
      const body = repo.read(`${K8S}/${envFile}`) ?? repo.read(`${K8S}/${envFile}.example`);
      if (body === undefined) say(KUSTOMIZATION, `secretGenerator ${String(g.name)}: neither ${envFile} nor ${envFile}.example exists`);
      for (const line of (body ?? '').split('\n')) if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) keys.add(assignment(line)[0]);
    }
    secretKeys.set(String(g.name), keys);
  }
  for (const m of ofKind('Secret')) secretKeys.set(m.name, new Set([...Object.keys(obj(m.doc.data)), ...Object.keys(obj(m.doc.stringData))]));

  const imageNames = new Set(list(kust.images).map((i) => String(obj(i).name)));
  return { manifests, configMaps, secretKeys, imageNames };
}
