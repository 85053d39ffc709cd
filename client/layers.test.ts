/**
 * The client's folders stay layered: no folder imports, directly or round about, a folder that
 * imports it back. From the bottom: ui/kit (leaf widgets), net and content, scene, input, xr and
 * workflows, neural, testing (the `window.__dwc` probes), ui (pages), and world, the composition
 * root that only main.ts imports. Test files are left out: a test may reach wherever it needs.
 *
 * And the probes behind `window.__dwc` are built in testing/ from the public getters of the world's
 * parts: no production class grows a `probe()` of its own, nor does production code call one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLIENT = dirname(fileURLToPath(import.meta.url));

/** The layer a client file belongs to: its top folder, ui/kit on its own, a top-level file by its name. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return parts[0]!.replace(/\.ts$/, '');
  if (parts[0] === 'ui' && parts[1] === 'kit' && parts.length > 2) return 'ui/kit';
  return parts[0]!;
}

/** Relative modules a source imports or re-exports, statically or on demand (side-effect imports too). */
function importsOf(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g);
  return [...found].map((m) => m[2]!);
}

type Graph = Map<string, Set<string>>;

/** One cycle in a directed graph as the path that closes it (first node repeated at the end), or null. */
function findCycle(graph: Graph): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Folder-level imports between client folders, each with the file imports behind it. */
function clientLayers(): { graph: Graph; why: Map<string, string[]> } {
  const graph: Graph = new Map();
  const why = new Map<string, string[]>();
  for (const path of sourceFiles(CLIENT)) {
    const file = relative(CLIENT, path).split(sep).join('/');
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const spec of importsOf(readFileSync(path, 'utf8'))) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      // shared/, packages and stylesheets are no client layer
      if (target.startsWith('../') || /\.(css|json)$/.test(target)) continue;
      const to = folderOf(`${target.replace(/\.js$/, '')}.ts`);
      if (to === from) continue;
      graph.get(from)!.add(to);
      const edge = `${from} -> ${to}`;
      why.set(edge, [...(why.get(edge) ?? []), `${file} imports ${spec}`]);
    }
  }
  return { graph, why };
}

/**
 * Lines of a source that define or call something named `probe` (comments aside): a method, a
 * function, or a property holding one.
 */
function probeLines(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
  const probe = /(?<![\w$])probe\s*(?:\(|<|[:=]\s*(?:async\s*)?(?:function\b|\())|\b(?:get|function)\s+probe\b/;
  return code.split('\n').filter((line) => probe.test(line)).map((line) => line.trim());
}

/** Where client code outside testing/ defines or calls a `probe`, as `file: line`. */
function probesOutsideTesting(): string[] {
  return sourceFiles(CLIENT).flatMap((path) => {
    const file = relative(CLIENT, path).split(sep).join('/');
    if (file.startsWith('testing/')) return [];
    return probeLines(readFileSync(path, 'utf8')).map((line) => `${file}: ${line}`);
  });
}

describe('the cycle finder', () => {
  it('finds a cycle, however long, and names its path', () => {
    const graph: Graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a', 'd'])], ['d', new Set()]]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('passes a graph that only points down, shared targets included', () => {
    const graph: Graph = new Map([['top', new Set(['mid', 'low'])], ['mid', new Set(['low'])], ['low', new Set()]]);
    expect(findCycle(graph)).toBeNull();
  });

  it('sees every kind of import and files each under its layer', () => {
    const src = `import { a } from './a';\nimport type { B } from '../scene/B';\nexport { c } from "./c";\nimport './x.css';\nconst r = import('./XrRig');\nimport { z } from 'zod';`;
    expect(importsOf(src)).toEqual(['./a', '../scene/B', './c', './x.css', './XrRig']);
    expect(['main.ts', 'ui/kit/dom.ts', 'ui/hud.ts', 'scene/DocumentPanel.ts', 'neural/camera/cameraToggle.ts'].map(folderOf)).toEqual(['main', 'ui/kit', 'ui', 'scene', 'neural']);
  });
});

describe('the probe finder', () => {
  it('sees probes defined and called in every form, and nothing else', () => {
    const src = [
      'class Rig {',
      '  probe(): RigProbe {',
      '  get probe() {',
      '  probe = () => 1;',
      '  probe: async () => 1,',
      'function probe<T>(x: T) {}',
      'const ar = this.rig?.probe().ar;',
      'head: () => rig.probe ().head,',
      '  /** For the probe (see probe()). */',
      '  // call probe() here',
      '  setProbe(probe: WorldProbe | null): void;',
      '  menuProbe(); probes(); const probe = p; probe.x;',
    ].join('\n');
    expect(probeLines(src)).toEqual([
      'probe(): RigProbe {',
      'get probe() {',
      'probe = () => 1;',
      'probe: async () => 1,',
      'function probe<T>(x: T) {}',
      'const ar = this.rig?.probe().ar;',
      'head: () => rig.probe ().head,',
    ]);
  });
});

describe('client layers', () => {
  const { graph, why } = clientLayers();

  it('has no folder-level import cycle', () => {
    const cycle = findCycle(graph);
    const edges = cycle?.slice(1).map((to, i) => `${cycle[i]} -> ${to}: ${why.get(`${cycle[i]} -> ${to}`)!.join(', ')}`);
    expect(edges ?? []).toEqual([]);
  });

  it('keeps ui/kit a leaf', () => {
    expect([...graph.get('ui/kit')!]).toEqual([]);
  });

  it('lets only main.ts import the world', () => {
    const importers = [...graph].filter(([, to]) => to.has('world')).map(([from]) => from);
    expect(importers).toEqual(['main']);
  });

  it('keeps probes in testing/: only the world view hands its probe over, built there', () => {
    expect(probesOutsideTesting()).toEqual(['world/WorldView.ts: probe(): WorldProbe {', 'world/worldPage.ts: opts.setProbe(view.probe());']);
  });
});
