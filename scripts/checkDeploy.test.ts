import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { bootCheck } from './deploy/boot';
import { checkFiles } from './deploy/checkFiles';
import { interpolate } from './deploy/compose';
import { dockerIgnore } from './deploy/dockerignore';
import { PLACEHOLDER_SECRET } from './deploy/env';
import { parseNginx } from './deploy/nginx';
import { lockfileOutOfStep } from './deploy/replay';
import { diskRepo, type Repo } from './deploy/repo';
import { serverFacts } from './deploy/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = diskRepo(ROOT);

/** The checkout with one file changed: `edit` gets the file's text and gives the new one. */
function changed(file: string, edit: (text: string) => string): Repo {
  const text = edit(repo.read(file) ?? '');
  return { root: ROOT, read: (f) => (f === file ? text : repo.read(f)), exists: (f) => f === file || repo.exists(f) };
}

/** The findings' messages for the checkout with one file changed. */
function findingsWith(file: string, edit: (text: string) => string): string[] {
  return checkFiles(changed(file, edit), loadConfig).map((f) => `${f.file}: ${f.message}`);
}

/** Replaces text that must be there, so a test cannot pass because the file no longer has it. */
const swap = (from: string | RegExp, to: string) => (text: string) => {
  expect(text).toMatch(from);
  return text.replace(from, to);
};

describe('checkDeploy', () => {
  it("reads the server's variables, health routes, port and scripts out of its own files", () => {
    const facts = serverFacts(repo);
    for (const name of ['PORT', 'HOST', 'DATA_DIR', 'REDIS_URL', 'PUBLIC_ADDRESS', 'MONGODB_URI', 'AUTH_SECRET', 'TRUST_PROXY']) expect(facts.envNames).toContain(name);
    expect(facts.routes).toContain('/api/v3/health');
    expect(facts.routes).toContain('/api/v3/health/ready');
    expect(facts.defaultPort).toBe(2567);
    expect(facts.scripts).toContain('build');
  });

  it("finds nothing wrong with the repository's deployment files", () => {
    expect(checkFiles(repo, loadConfig)).toEqual([]);
  });

  it.each([
    ['an npm script that does not exist', swap('RUN npm run build', 'RUN npm run bundle'), 'package.json has no script "bundle"'],
    ['a command the replay does not know', swap('RUN npm run build', 'RUN yarn build'), 'checkDeploy cannot replay it'],
    ['root at run time', swap('USER node', 'USER root'), 'non-root USER'],
    ['no USER at all', swap('USER node\n', ''), 'non-root USER'],
    ['a CMD through npm', swap('CMD ["node", "--import", "tsx", "server/main.ts"]', 'CMD ["npm", "start"]'), 'CMD runs npm, not node'],
    ['a CMD in shell form', swap('CMD ["node", "--import", "tsx", "server/main.ts"]', 'CMD node --import tsx server/main.ts'), 'CMD must be in exec form'],
    ['a copied file that is not there', swap('COPY assets ./assets', 'COPY asset ./assets'), 'COPY asset: no such file'],
    ['a copied file the context leaves out', swap('COPY assets ./assets', 'COPY docs ./docs'), '.dockerignore leaves it out'],
    ['a build output nothing makes', swap('RUN npm run build\n', ''), 'made by `npm run build`, which stage build does not run'],
    ["tsx's compiler options left behind", swap(' tsconfig.json tsconfig.base.json', ''), 'does not COPY tsconfig.json'],
    ['a health check on no route', swap("'/api/v3/health'", "'/api/v3/healthz'"), '/api/v3/healthz: the server has no such route'],
    ['the port not exposed', swap('EXPOSE 2567 1883 8083', 'EXPOSE 1883 8083'), "EXPOSE does not include the server's port 2567"],
    ['a variable the server does not read', swap('DATA_DIR=/data', 'DATA_DIR=/data DATADIR=/data'), 'ENV DATADIR: server/config.ts reads no such variable'],
  ])('Dockerfile: %s', (_, edit, expected) => {
    expect(findingsWith('Dockerfile', edit).join('\n')).toContain(expected);
  });

  it('.dockerignore: node_modules carried into the build context', () => {
    expect(findingsWith('.dockerignore', (t) => swap(/^\*\*\/node_modules\n/m, '')(swap(/^node_modules\n/m, '')(t))).join('\n')).toContain('.dockerignore: does not leave out node_modules');
  });

  it.each([
    ['a misspelt variable', swap('TRUST_PROXY: "1"', 'TRUST_PROXI: "1"'), 'TRUST_PROXI is read by neither server/config.ts'],
    ['a value the server refuses', swap('${SITE_HOST:-localhost:8080}/p1', 'https://localhost:8080/p1'), 'the server would refuse this environment: PUBLIC_ADDRESS='],
    ['REDIS_URL without PUBLIC_ADDRESS', swap(/\n {6}PUBLIC_ADDRESS: \$\{SITE_HOST:-localhost:8080\}\/p2/, ''), 'services.app2: the server would refuse this environment: PUBLIC_ADDRESS: with REDIS_URL'],
    ['two processes advertising one address', swap('localhost:8080}/p2', 'localhost:8080}/p1'), "is also app1's"],
    ['an address on a port the proxy does not publish', swap('"8080:8080"', '"80:8080"'), 'names port 8080, which proxy does not publish'],
    ['a health check on no route', swap('/api/v3/health/ready', '/api/v3/ready'), '/api/v3/ready: the server has no such route'],
    ['the proxy not waiting for the processes', swap(/(proxy:[\s\S]*?app2:\n\s+condition: )service_healthy/, '$1service_started'), 'depends_on app2 should have condition: service_healthy'],
  ])('compose.yaml: %s', (_, edit, expected) => {
    expect(findingsWith('compose.yaml', edit).join('\n')).toContain(expected);
  });

  it('compose.yaml: processes with different secrets', () => {
    const edit = swap(/(PUBLIC_ADDRESS: \$\{SITE_HOST:-localhost:8080\}\/p2)/, '$1\n      AUTH_SECRET: ${OTHER_SECRET:?set it}');
    expect(findingsWith('compose.yaml', edit).join('\n')).toContain("the processes' AUTH_SECRET differ");
  });

  it.each([
    ['a process path sent to the other process', swap('proxy_pass http://app2:2567/;', 'proxy_pass http://app1:2567/;'), 'location /p2/ goes to app1:2567, but it is app2:2567 that advertises /p2'],
    ['a process path that keeps its prefix', swap('proxy_pass http://app1:2567/;', 'proxy_pass http://app1:2567;'), 'keeps the /p1 prefix'],
    ['no path for a process', swap('location /p2/', 'location /q2/'), 'no location /p2/ with a proxy_pass'],
    ['a process missing from the round robin', swap('server app2:2567;', ''), 'location / does not reach app2:2567'],
    ['no Upgrade header', swap(/(location \/p1\/ \{[\s\S]*?)proxy_set_header Upgrade \$http_upgrade;/, '$1'), 'location /p1/: no `proxy_set_header Upgrade $http_upgrade`'],
    ['HTTP/1.0 to the upstream', swap(/(location \/ \{[\s\S]*?)proxy_http_version 1\.1;/, '$1'), 'location /: no `proxy_http_version 1.1`'],
  ])('deploy/nginx.conf: %s', (_, edit, expected) => {
    expect(findingsWith('deploy/nginx.conf', edit).join('\n')).toContain(expected);
  });

  it('deploy/nginx.conf: a location that sets headers of its own inherits none from its server, as in nginx', () => {
    const conf = `upstream all { server app1:2567; server app2:2567; }
      server {
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /p1/ { proxy_pass http://app1:2567/; }
        location /p2/ { proxy_pass http://app2:2567/; proxy_set_header Host $host; }
        location / { proxy_pass http://all; }
      }`;
    const findings = findingsWith('deploy/nginx.conf', () => conf).join('\n');
    expect(findings).toContain('location /p2/: no `proxy_set_header Upgrade');
    expect(findings).not.toContain('location /p1/: no');
    expect(parseNginx('a "b c" d; e { f g; }')).toEqual([{ name: 'a', args: ['b c', 'd'] }, { name: 'e', args: [], children: [{ name: 'f', args: ['g'] }] }]);
  });

  it.each([
    ['a third pod without its own path', swap('replicas: 2', 'replicas: 3'), 'pod 2 advertises dwc.example.com/dwc-2, but no Ingress path /dwc-2 leads to it'],
    ['liveness asking readiness', swap(/(livenessProbe:\s+httpGet:\s+path: )\/api\/v3\/health/, '$1/api/v3/health/ready'), 'livenessProbe asks /api/v3/health/ready; it should ask /api/v3/health'],
    ['a probe on no route', swap('path: /api/v3/health/ready', 'path: /ready'), 'readinessProbe: /ready is not a route of the server'],
    ['a reference to a variable set after it', swap(/( {12}- name: POD_NAME\n[\s\S]*?fieldPath: metadata\.name\n)([\s\S]*?value: \$\(SITE_HOST\)\/\$\(POD_NAME\)\n)/, '$2$1'), '$(POD_NAME) is not set before it'],
    ['one address for every pod', swap('$(SITE_HOST)/$(POD_NAME)', '$(SITE_HOST)/dwc'), 'the pods advertise the same PUBLIC_ADDRESS'],
    ['no preStop', swap(/ {10}lifecycle:\n[\s\S]*?command: \["sleep", "10"\]\n/, ''), 'no lifecycle.preStop'],
    ['too short a grace period', swap('terminationGracePeriodSeconds: 45', 'terminationGracePeriodSeconds: 15'), 'terminationGracePeriodSeconds 15 leaves the server less than 15 s'],
    ['a pod Service that selects another pod', swap('statefulset.kubernetes.io/pod-name: dwc-1', 'statefulset.kubernetes.io/pod-name: dwc-0'), 'Service dwc-1 (Ingress path /dwc-1(/|$)(.*)) does not select pod dwc-1 alone'],
    ['a Service on another port', swap(/(kind: Service\nmetadata:\n {2}name: dwc\nspec:[\s\S]*?)targetPort: http/, '$1targetPort: mqtt'), "Service dwc: targetPort mqtt is not the server's port 2567"],
    ['the secret under another name', swap('name: dwc-auth', 'name: auth'), 'no Secret auth'],
  ])('deploy/k8s/app.yaml: %s', (_, edit, expected) => {
    expect(findingsWith('deploy/k8s/app.yaml', edit).join('\n')).toContain(expected);
  });

  it.each([
    ['a misspelt variable', swap('- TRUST_PROXY=1', '- TRUSTPROXY=1'), 'TRUSTPROXY is read by neither server/config.ts'],
    ['a value the server refuses', swap('- REDIS_URL=redis://redis:6379', '- REDIS_URL=redis:6379'), 'the server would refuse this environment: REDIS_URL=(hidden)'],
    ['a resource that is not there', swap('- ingress.yaml', '- ingres.yaml'), 'resources: ingres.yaml does not exist'],
  ])('deploy/k8s/kustomization.yaml: %s', (_, edit, expected) => {
    expect(findingsWith('deploy/k8s/kustomization.yaml', edit).join('\n')).toContain(expected);
  });

  it('deploy/k8s/ingress.yaml: a pod path that keeps its prefix, and a host the pods do not advertise', () => {
    const findings = findingsWith('deploy/k8s/ingress.yaml', (t) => swap('rewrite-target: /$2', 'x: y')(t).replaceAll('host: dwc.example.com', 'host: other.example.com')).join('\n');
    expect(findings).toContain('keeps the /dwc-0 prefix');
    expect(findings).toContain('host other.example.com, but the pods advertise dwc.example.com');
  });

  it("reads compose's interpolation as the file gives it, and .dockerignore's patterns as Docker does", () => {
    expect(interpolate('${A:-x}/p1 ${B:?say} ${C} $$D')).toEqual({ value: `x/p1 ${PLACEHOLDER_SECRET}  $D`, required: ['B'] });
    const ignored = dockerIgnore('node_modules\n**/node_modules\n*.log\ndocs\n!docs/keep.md');
    expect(['node_modules', 'node_modules/x/y.js', 'a/b/node_modules/c', 'x.log', 'docs/a.png'].map(ignored)).toEqual([true, true, true, true, true]);
    expect(['server/x.ts', 'a/x.log', 'docs/keep.md', 'documents'].map(ignored)).toEqual([false, false, false, false]);
  });

  it('reads the less common forms: FROM --platform, ENV on its own line, a shell-form healthcheck, long-form ports', () => {
    const docker = findingsWith('Dockerfile', (t) => swap('FROM node:${NODE_VERSION}-bookworm-slim AS build', 'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-bookworm-slim AS build')(swap('DATA_DIR=/data', 'DATA_DIR=/data DATADIR=/data')(t)));
    expect(docker).toEqual([expect.stringMatching(/^Dockerfile:2\d: ENV DATADIR: server\/config\.ts reads no such variable$/)]);
    const shellTest = swap(/test: \["CMD", "node", "-e", "fetch[^\n]*/, 'test: wget -q -O /dev/null http://127.0.0.1:2567/api/v3/health/ready');
    expect(findingsWith('compose.yaml', shellTest)).toEqual([]);
    expect(findingsWith('compose.yaml', swap('- "8080:8080"', '- published: 8080\n        target: 8080'))).toEqual([]);
  });

  it('reports broken YAML instead of failing', () => {
    expect(findingsWith('deploy/k8s/kustomization.yaml', (t) => `${t}\n  - [broken`)).toEqual([expect.stringContaining('deploy/k8s/kustomization.yaml: not YAML:')]);
  });

  it('deploy/k8s/ingress.yaml: a numbered port does not match an unnamed Service port by its missing name', () => {
    const app = changed('deploy/k8s/app.yaml', swap(/(name: dwc\nspec:[\s\S]*?)- name: http\n {6}port: 80/, '$1- port: 80'));
    const ingress = swap(/(name: dwc\n\s+port:\n\s+)name: http/, '$1number: 8080')(app.read('deploy/k8s/ingress.yaml') ?? '');
    const both: Repo = { ...app, read: (f) => (f === 'deploy/k8s/ingress.yaml' ? ingress : app.read(f)) };
    expect(checkFiles(both, loadConfig).map((f) => f.message)).toContain('Ingress dwc /: Service dwc has no port 8080');
  });

  it('knows when npm ci would refuse the lockfile', () => {
    expect(lockfileOutOfStep(repo)).toBeNull();
    const moved = changed('package.json', (t) => t.replace('"zod": "^', '"zod": "^0.0.1 || ^'));
    expect(lockfileOutOfStep(moved)).toContain('dependencies differ from package.json for zod');
  });
});

describe('checkDeploy bootCheck', () => {
  // a stand-in for the server: prints its banner, answers the health routes, ends on SIGTERM as told
  const fake = (onTerm: string, beforeListen = '') => [
    'node',
    '-e',
    `${beforeListen}
     const http = require('node:http');
     let notReady = Number(process.env.NOT_READY || 0);
     const s = http.createServer((req, res) => {
       const late = req.url === '/api/v3/health/ready' && notReady-- > 0;
       res.statusCode = late ? 503 : req.url.startsWith('/api/v3/health') ? Number(process.env.HEALTH || 200) : 404;
       res.end('{}');
     });
     s.listen(0, '127.0.0.1', () => console.log('\\n  Open http://localhost:' + s.address().port + '/'));
     process.on('SIGTERM', () => { ${onTerm} });`,
  ];
  const limits = { startMs: 10_000, readyMs: 500, stopMs: 1000 };

  it('passes a server that starts, answers and ends with 0 on SIGTERM', async () => {
    expect(await bootCheck(fake('s.close(() => process.exit(0));'), ROOT, process.env, limits)).toEqual([]);
  });

  it('waits for readiness as a retried probe would, within readyMs', async () => {
    expect(await bootCheck(fake('process.exit(0);'), ROOT, { ...process.env, NOT_READY: '1' }, { ...limits, readyMs: 2000 })).toEqual([]);
  });

  it('reports an unhealthy server, one that ends badly, one that does not end, one that never starts, and a command that is not there', async () => {
    // separate processes on ports of their own: run together, the test takes as long as its slowest
    const [unhealthy, badEnd, noEnd, crash, missing] = await Promise.all([
      bootCheck(fake('process.exit(0);'), ROOT, { ...process.env, HEALTH: '503' }, limits),
      bootCheck(fake('process.exit(3);'), ROOT, process.env, limits),
      bootCheck(fake(''), ROOT, process.env, limits),
      bootCheck(fake('', "console.error('no config'); process.exit(2);"), ROOT, process.env, limits),
      bootCheck(['no-such-command-checkDeploy'], ROOT, process.env, limits),
    ]);
    expect(unhealthy.map((f) => f.message)).toEqual([expect.stringContaining('GET /api/v3/health: 503'), expect.stringContaining('GET /api/v3/health/ready: 503')]);
    expect(badEnd[0]?.message).toContain('SIGTERM ended it with code 3, not 0');
    expect(noEnd[0]?.message).toContain('still running 1 s after SIGTERM');
    expect(crash[0]?.message).toMatch(/exited \(2\) before printing "Open http:\/\/…":\nno config/);
    expect(missing[0]?.message).toContain('could not start: spawn no-such-command-checkDeploy ENOENT');
  });
});
