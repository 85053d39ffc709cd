import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf, formFor, initialParams, labelOf, readField, showField, type JsonSchema } from './schemaForm';

// the same way the server publishes each kind's parameters
const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;

const Analysis = z.strictObject({
  providers: z.array(z.string().min(1).max(40)).min(1).max(5).default(['builtin']),
  summarySentences: z.number().int().min(1).max(20).default(3),
  labels: z.array(z.strictObject({ label: z.string() })).default([]),
  mode: z.enum(['fast', 'full']).default('fast'),
  strict: z.boolean().default(true),
  url: z.url(),
});

const Transform = z.discriminatedUnion('operation', [
  z.strictObject({ operation: z.literal('outline') }),
  z.strictObject({ operation: z.literal('template'), template: z.string().min(1).max(20_000) }),
]);

describe('parameter forms from schemas', () => {
  it('maps each property to a field of the right type', () => {
    const spec = formFor(json(Analysis));
    expect(spec.fields.map((f) => [f.key, f.type, f.required])).toEqual([
      ['providers', 'list', false],
      ['summarySentences', 'integer', false],
      ['labels', 'json', false],
      ['mode', 'select', false],
      ['strict', 'boolean', false],
      ['url', 'text', true],
    ]);
    expect(spec.fields[1]).toMatchObject({ min: 1, max: 20, default: 3, label: 'Summary sentences' });
    expect(spec.fields[3]).toMatchObject({ options: ['fast', 'full'] });
  });

  it('turns a discriminated union into variants', () => {
    const spec = formFor(json(Transform));
    expect(spec.variants?.key).toBe('operation');
    expect(spec.variants?.options.map((o) => o.value)).toEqual(['outline', 'template']);
    expect(fieldsOf(spec, { operation: 'template' }).map((f) => [f.key, f.type, f.required])).toEqual([['template', 'text', true]]);
    expect(fieldsOf(spec, { operation: 'outline' })).toEqual([]);
    expect(initialParams(spec)).toEqual({ operation: 'outline' });
  });

  it('reads typed text back into values, or says what is wrong', () => {
    const [providers, sentences, labels, , strict, url] = formFor(json(Analysis)).fields;
    expect(readField(providers!, ' builtin, openai ,')).toEqual({ ok: true, value: ['builtin', 'openai'] });
    expect(readField(sentences!, '4')).toEqual({ ok: true, value: 4 });
    expect(readField(sentences!, '4.5')).toMatchObject({ ok: false, message: expect.stringMatching(/whole number/) });
    expect(readField(sentences!, '40')).toMatchObject({ ok: false, message: expect.stringMatching(/at most 20/) });
    expect(readField(sentences!, '')).toEqual({ ok: true, value: undefined });
    expect(readField(labels!, '[{"label":"x"}]')).toEqual({ ok: true, value: [{ label: 'x' }] });
    expect(readField(labels!, '[{')).toMatchObject({ ok: false });
    expect(readField(strict!, false)).toEqual({ ok: true, value: false });
    expect(readField(url!, '')).toMatchObject({ ok: false, message: 'Url is needed.' });
  });

  it('shows values, or the default when one is missing', () => {
    const [providers, sentences, labels] = formFor(json(Analysis)).fields;
    expect(showField(providers!, undefined)).toBe('builtin');
    expect(showField(sentences!, 7)).toBe('7');
    expect(showField(labels!, [{ label: 'x' }])).toBe('[{"label":"x"}]');
  });

  it('gives required fields without defaults a starting value where one makes sense', () => {
    expect(initialParams(formFor(json(z.strictObject({ ms: z.number().int().min(0) }))))).toEqual({ ms: 0 });
    expect(labelOf('failOnReject')).toBe('Fail on reject');
  });
});
