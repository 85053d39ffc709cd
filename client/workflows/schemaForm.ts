/**
 * Parameter forms from a step kind's JSON schema (the server publishes each kind's zod schema as
 * JSON schema at GET /api/v3/workflows/steps). Pure: the schema becomes a list of fields, and each
 * field turns typed text back into a value or says what is wrong with it.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  description?: string;
  [other: string]: unknown;
};

interface FieldBase {
  key: string;
  label: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

export type Field =
  | (FieldBase & { type: 'text'; maxLength?: number; minLength?: number; format?: string; long: boolean })
  | (FieldBase & { type: 'number' | 'integer'; min?: number; max?: number })
  | (FieldBase & { type: 'boolean' })
  /** `emptyLabel` names the empty choice of an optional select (e.g. "Default network"). */
  | (FieldBase & { type: 'select'; options: string[]; emptyLabel?: string })
  /**
   * A list of short strings, typed as tags. `options` limits the tags to known values; `itemKey`
   * means each item is an object keyed by its tag (e.g. `{ label }`), its other properties defaulted.
   */
  | (FieldBase & { type: 'list'; maxItems?: number; maxLength?: number; options?: string[]; itemKey?: string })
  /** Anything else (objects, lists of objects, tuples): typed as JSON. */
  | (FieldBase & { type: 'json' });

/** A kind whose parameters come in variants told apart by one constant property (e.g. `operation`). */
export interface Variants {
  key: string;
  label: string;
  options: { value: string; fields: Field[] }[];
}

export interface FormSpec {
  fields: Field[];
  variants?: Variants;
}

/** "summarySentences" → "Summary sentences". */
export function labelOf(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

/** The field for one property of an object schema. */
export function fieldFor(key: string, s: JsonSchema, required: boolean): Field {
  const base: FieldBase = { key, label: labelOf(key), required, ...(s.default !== undefined ? { default: s.default } : {}), ...(s.description ? { description: s.description } : {}) };
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return { ...base, type: 'select', options: s.enum as string[] };
  switch (typeOf(s)) {
    case 'string':
      return { ...base, type: 'text', maxLength: s.maxLength, minLength: s.minLength, format: s.format, long: (s.maxLength ?? 0) > 500 };
    case 'integer':
    case 'number':
      return { ...base, type: typeOf(s) as 'number' | 'integer', min: s.minimum, max: s.maximum };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'array': {
      const items = typeof s.items === 'object' ? s.items : undefined;
      const maxItems = typeof s.maxItems === 'number' ? s.maxItems : undefined;
      if (!items || s.prefixItems) return { ...base, type: 'json' };
      if (typeOf(items) === 'string') {
        const options = Array.isArray(items.enum) && items.enum.every((v) => typeof v === 'string') ? (items.enum as string[]) : undefined;
        return { ...base, type: 'list', maxItems, maxLength: items.maxLength, ...(options ? { options } : {}) };
      }
      const key = tagKeyOf(items);
      return key ? { ...base, type: 'list', maxItems, maxLength: items.properties![key]!.maxLength, itemKey: key } : { ...base, type: 'json' };
    }
    default:
      return { ...base, type: 'json' };
  }
}

/** The one required string property of an object whose other properties all have defaults, if any. */
function tagKeyOf(s: JsonSchema): string | undefined {
  if (typeOf(s) !== 'object' || !s.properties) return undefined;
  const required = s.required ?? [];
  const entries = Object.entries(s.properties);
  const strings = entries.filter(([key, p]) => required.includes(key) && typeOf(p) === 'string');
  if (strings.length !== 1) return undefined;
  const others = entries.filter(([key]) => key !== strings[0]![0]);
  return others.every(([key, p]) => !required.includes(key) || p.default !== undefined) ? strings[0]![0] : undefined;
}

/** Fields whose values come from the server's configuration (e.g. `network`) become selects of those values. */
export function withChoices(spec: FormSpec, choices: Readonly<Record<string, { options: readonly string[]; emptyLabel: string }>>): FormSpec {
  const swap = (f: Field): Field => {
    const c = choices[f.key];
    return c && f.type === 'text' && c.options.length ? { key: f.key, label: f.label, required: f.required, default: f.default, description: f.description, type: 'select', options: [...c.options], emptyLabel: c.emptyLabel } : f;
  };
  return {
    fields: spec.fields.map(swap),
    ...(spec.variants ? { variants: { ...spec.variants, options: spec.variants.options.map((o) => ({ value: o.value, fields: o.fields.map(swap) })) } } : {}),
  };
}

/** The tags a list field shows for a value. */
export function tagsOf(field: Field & { type: 'list' }, value: unknown): string[] {
  const v = value === undefined ? field.default : value;
  if (!Array.isArray(v)) return [];
  return v.map((item) => (field.itemKey && item && typeof item === 'object' ? String((item as Record<string, unknown>)[field.itemKey] ?? '') : String(item))).filter(Boolean);
}

export type TagAdd = { ok: true; tags: string[] } | { ok: false; message: string };

/** Adds what was typed as a tag, or says why it cannot be one. */
export function addTag(field: Field & { type: 'list' }, tags: readonly string[], typed: string): TagAdd {
  const tag = typed.trim();
  if (!tag) return { ok: true, tags: [...tags] };
  if (tags.includes(tag)) return { ok: false, message: `"${tag}" is already there.` };
  if (field.options && !field.options.includes(tag)) return { ok: false, message: `Choose one of: ${field.options.join(', ')}.` };
  if (field.maxLength !== undefined && tag.length > field.maxLength) return { ok: false, message: `Keep each one under ${field.maxLength + 1} characters.` };
  if (field.maxItems !== undefined && tags.length >= field.maxItems) return { ok: false, message: `${field.label} takes at most ${field.maxItems}.` };
  return { ok: true, tags: [...tags, tag] };
}

/**
 * The value of a list field with these tags; objects keep what else they had (a label's hints)
 * when their tag stays. `undefined` (leave it out) when there are none and the field may be empty.
 */
export function listValue(field: Field & { type: 'list' }, tags: readonly string[], previous: unknown): unknown {
  if (!tags.length && field.default === undefined && !field.required) return undefined;
  if (!field.itemKey) return [...tags];
  const key = field.itemKey;
  const old = Array.isArray(previous) ? (previous as unknown[]) : [];
  return tags.map((t) => old.find((o) => o && typeof o === 'object' && (o as Record<string, unknown>)[key] === t) ?? { [key]: t });
}

function objectFields(s: JsonSchema, skip?: string): Field[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {})
    .filter(([key]) => key !== skip)
    .map(([key, prop]) => fieldFor(key, prop, required.has(key)));
}

/** The key whose `const` tells every variant apart, if there is one. */
function discriminator(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((key) => variants.every((v) => typeof v.properties?.[key]?.const === 'string'));
}

/** The form for a kind's parameter schema. */
export function formFor(schema: JsonSchema): FormSpec {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) {
    const key = discriminator(variants);
    if (key) {
      return {
        fields: [],
        variants: { key, label: labelOf(key), options: variants.map((v) => ({ value: v.properties![key]!.const as string, fields: objectFields(v, key) })) },
      };
    }
    return { fields: [{ key: '', label: 'Parameters', required: true, type: 'json' }] };
  }
  return { fields: objectFields(schema) };
}

/** The fields on show for a value: a variant's fields follow its discriminator. */
export function fieldsOf(spec: FormSpec, params: Record<string, unknown>): Field[] {
  if (!spec.variants) return spec.fields;
  const chosen = spec.variants.options.find((o) => o.value === params[spec.variants!.key]) ?? spec.variants.options[0];
  return chosen?.fields ?? [];
}

export type Read = { ok: true; value: unknown } | { ok: false; message: string };

/** Turns what was typed into a field back into a value; `undefined` means "leave it out". */
export function readField(field: Field, raw: string | boolean): Read {
  if (field.type === 'boolean') return { ok: true, value: raw === true };
  const text = String(raw);
  if (text.trim() === '') return field.required && field.default === undefined ? { ok: false, message: `${field.label} is needed.` } : { ok: true, value: undefined };
  switch (field.type) {
    case 'text':
    case 'select':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, message: `${field.label} must be a number.` };
      if (field.type === 'integer' && !Number.isInteger(n)) return { ok: false, message: `${field.label} must be a whole number.` };
      if (field.min !== undefined && n < field.min) return { ok: false, message: `${field.label} must be at least ${field.min}.` };
      if (field.max !== undefined && n > field.max) return { ok: false, message: `${field.label} must be at most ${field.max}.` };
      return { ok: true, value: n };
    }
    case 'list':
      return { ok: true, value: text.split(',').map((s) => s.trim()).filter(Boolean) };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: `${field.label} must be JSON, e.g. {} or [].` };
      }
    default: {
      const unreachable: never = field;
      throw new Error(`unknown field ${JSON.stringify(unreachable)}`);
    }
  }
}

/** What a field shows for a value (the default when the value is missing). */
export function showField(field: Field, value: unknown): string | boolean {
  const v = value === undefined ? field.default : value;
  if (field.type === 'boolean') return v === true;
  if (v === undefined || v === null) return '';
  if (field.type === 'list' && Array.isArray(v)) return v.join(', ');
  if (field.type === 'json') return JSON.stringify(v);
  return String(v);
}

/** Starting parameters for a new step: the first variant, and a value for each required field without a default. */
export function initialParams(spec: FormSpec): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (spec.variants) params[spec.variants.key] = spec.variants.options[0]?.value;
  for (const field of fieldsOf(spec, params)) {
    if (!field.required || field.default !== undefined) continue;
    switch (field.type) {
      case 'number':
      case 'integer':
        params[field.key] = Math.max(field.min ?? 0, 0);
        break;
      case 'boolean':
        params[field.key] = false;
        break;
      case 'select':
        params[field.key] = field.options[0];
        break;
      default:
        // text the person must fill in; the server says so on save if they do not
        break;
    }
  }
  return params;
}
