import type { AppProcess } from './compose';
import type { Finding } from './findings';

export interface NginxNode {
  name: string;
  args: string[];
  children?: NginxNode[];
}

/** nginx's configuration syntax: directives and blocks, comments left out. */
export function parseNginx(source: string): NginxNode[] {
  const tokens = [...source.replace(/#[^\n]*/g, '').matchAll(/'[^']*'|"[^"]*"|[{};]|[^\s{};]+/g)].map((m) => m[0]);
  let i = 0;
  const block = (): NginxNode[] => {
    const nodes: NginxNode[] = [];
    let words: string[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t === '}') break;
      if (t === ';' || t === '{') {
        const [name = '', ...args] = words;
        nodes.push(t === '{' ? { name, args, children: block() } : { name, args });
        words = [];
      } else words.push(t.replace(/^(['"])(.*)\1$/, '$2'));
    }
    return nodes;
  };
  return block();
}

const directive = (nodes: NginxNode[] | undefined, name: string) => (nodes ?? []).filter((n) => n.name === name);

export function checkNginx(source: string | undefined, apps: readonly AppProcess[]): Finding[] {
  const file = 'deploy/nginx.conf';
  if (source === undefined) return [{ file, message: 'missing' }];
  const out: Finding[] = [];
  const say = (message: string) => out.push({ file, message });
  const top = parseNginx(source);
  const http = top.find((n) => n.name === 'http')?.children ?? top;
  const servers = http.filter((n) => n.name === 'server');
  if (!servers.length) return [{ file, message: 'no server block' }];
  const upstreams = new Map(http.filter((n) => n.name === 'upstream').map((u) => [u.args[0]!, directive(u.children, 'server').map((c) => c.args[0]!)]));
  const locations = servers.flatMap((server) => directive(server.children, 'location').map((loc) => ({ server, loc, path: loc.args.at(-1)! })));

  for (const { server, loc, path: where } of locations) {
    if (!directive(loc.children, 'proxy_pass').length) continue;
    // proxy_set_header is inherited only by a level that sets none of its own
    const headers = [loc.children, server.children, http].map((level) => directive(level, 'proxy_set_header')).find((h) => h.length) ?? [];
    const header = (name: string) => headers.find((h) => h.args[0]?.toLowerCase() === name)?.args[1];
    if (header('upgrade') !== '$http_upgrade') say(`location ${where}: no \`proxy_set_header Upgrade $http_upgrade\`: WebSockets would not pass`);
    if (!/^(\$connection_upgrade|upgrade)$/i.test(header('connection') ?? '')) say(`location ${where}: no \`proxy_set_header Connection\` of upgrade: WebSockets would not pass`);
    const version = [loc.children, server.children, http].map((level) => directive(level, 'proxy_http_version')[0]).find(Boolean);
    if (version?.args[0] !== '1.1') say(`location ${where}: no \`proxy_http_version 1.1\`: WebSockets need it`);
  }

  const target = (where: string) => {
    const loc = locations.find((l) => l.path === where);
    const pass = directive(loc?.loc.children, 'proxy_pass')[0]?.args[0];
    const m = pass && /^https?:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(pass);
    return m ? { host: m[1]!, port: m[2] ? Number(m[2]) : 80, uri: m[3] ?? null, pass } : null;
  };
  for (const app of apps) {
    if (!app.publicPath) continue;
    const where = `${app.publicPath}/`;
    const t = target(where);
    if (!t) say(`no location ${where} with a proxy_pass: ${app.service}'s PUBLIC_ADDRESS ends in ${app.publicPath}`);
    else if (t.host !== app.service || t.port !== app.port) say(`location ${where} goes to ${t.host}:${t.port}, but it is ${app.service}:${app.port} that advertises ${app.publicPath}`);
    else if (t.uri !== '/') say(`location ${where}: proxy_pass ${t.pass} keeps the ${app.publicPath} prefix; end it in / so that ${app.service} gets the path without it`);
  }
  const root = target('/');
  if (!root) say('no location / with a proxy_pass for the page, the REST API and matchmaking');
  else {
    // an upstream's `server app1;` means port 80, as in a proxy_pass
    const members = (upstreams.get(root.host) ?? [`${root.host}:${root.port}`]).map((m) => (/:\d+$/.test(m) ? m : `${m}:80`));
    for (const app of apps) if (!members.includes(`${app.service}:${app.port}`)) say(`location / does not reach ${app.service}:${app.port} (it goes to ${members.join(', ')})`);
  }
  return out;
}
