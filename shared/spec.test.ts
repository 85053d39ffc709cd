/**
 * Keeps docs/SPEC.md and the tests from drifting apart: every rule the spec states is proven by a
 * test whose name starts with its id, and every id a test names is a rule of the spec.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIRS = ['shared', 'server', 'client', 'e2e', 'bench', 'scripts'];
const RULE_ID = '[A-Z]+-\\d+';
/** A rule as the spec writes it: a list item starting with its id in bold. */
const SPEC_RULE = new RegExp(`^- \\*\\*(${RULE_ID})\\*\\* \\S`, 'gm');
/** A test name that starts with the ids it proves: 'HOLD-1, LWW-2: …'. */
const TEST_NAME_IDS = new RegExp(`['"\`]((?:${RULE_ID})(?:, ${RULE_ID})*): `, 'g');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(full);
    return /\.test\.ts$/.test(e.name) ? [full] : [];
  });
}

function specRules(): string[] {
  return [...readFileSync(path.join(ROOT, 'docs/SPEC.md'), 'utf8').matchAll(SPEC_RULE)].map((m) => m[1]!);
}

/** Rule id → the test files that name it. */
function namedInTests(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const file of TEST_DIRS.flatMap((d) => testFiles(path.join(ROOT, d)))) {
    if (file === fileURLToPath(import.meta.url)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(TEST_NAME_IDS)) {
      for (const id of m[1]!.split(', ')) named.set(id, [...(named.get(id) ?? []), path.relative(ROOT, file)]);
    }
  }
  return named;
}

describe('docs/SPEC.md and the tests', () => {
  it('numbers each rule once', () => {
    const rules = specRules();
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.filter((id, i) => rules.indexOf(id) !== i)).toEqual([]);
  });

  it('has a test naming every rule of the spec', () => {
    const named = namedInTests();
    expect(specRules().filter((id) => !named.has(id))).toEqual([]);
  });

  it('has no test naming a rule the spec does not state', () => {
    const rules = new Set(specRules());
    expect([...namedInTests()].filter(([id]) => !rules.has(id)).map(([id, files]) => `${id} in ${files.join(', ')}`)).toEqual([]);
  });
});
