import { checkCompose } from './compose';
import { checkDockerfile, envOf, parseDockerfile } from './dockerfile';
import type { LoadConfig } from './env';
import type { Finding } from './findings';
import { checkKubernetes } from './k8s';
import { checkNginx } from './nginx';
import type { Repo } from './repo';
import { HEALTH_ROUTES, serverFacts } from './server';

/** Every file check, against the server as its own files describe it. */
export function checkFiles(repo: Repo, load: LoadConfig): Finding[] {
  const facts = serverFacts(repo);
  const out: Finding[] = [];
  // the checks read the server with regular expressions; a reshaped source must fail loudly, not pass
  if (facts.envNames.size < 10) out.push({ file: 'server/config.ts', message: 'checkDeploy could not read the variables out of EnvSchema (did its shape change?)' });
  for (const route of HEALTH_ROUTES) if (!facts.routes.has(route)) out.push({ file: 'server/http/api.ts', message: `checkDeploy finds no route ${route}` });
  out.push(...checkDockerfile(repo, facts));
  // compose and Kubernetes start the image, so its ENV is under what they set
  const runtime = parseDockerfile(repo.read('Dockerfile') ?? '').at(-1);
  const imageEnv = runtime ? envOf(runtime) : {};
  const compose = checkCompose(repo, facts, imageEnv, load);
  out.push(...compose.findings, ...checkNginx(repo.read('deploy/nginx.conf'), compose.apps));
  out.push(...checkKubernetes(repo, facts, imageEnv, load));
  return out;
}
