import { parseAllDocuments } from 'yaml';

/** A YAML mapping, read without trusting its shape. */
export type Json = Record<string, unknown>;

/** The value as a mapping, or an empty one: a missing or misshapen key reads as absent, never throws. */
export const obj = (x: unknown): Json => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {});
export const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
/** A scalar as YAML writes it (`port: 2567`, `TRUST_PROXY: "1"`), undefined for anything else. */
export const text = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined);

/**
 * The documents of a YAML file (merge keys as compose reads them), and each broken document's first
 * error. A broken document still gives what could be read of it, so the checks go on.
 */
export function readYaml(source: string): { docs: Json[]; errors: string[] } {
  const docs = [...parseAllDocuments(source, { merge: true })];
  return { docs: docs.map((d) => obj(d.toJS())), errors: docs.flatMap((d) => (d.errors.length ? [d.errors[0]!.message] : [])) };
}
