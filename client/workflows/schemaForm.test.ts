import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addTag, fieldsOf, formFor, initialParams, labelOf, listValue, readField, showField, tagsOf, withChoices, type Field, type JsonSchema } from './schemaForm';

// the same way the server publishes each kind's parameters
const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;

const Analysis = z.strictObject({
  providers: z.array(z.string().min(1).max(40)).min(1).max(5).default(['builtin']),
  summarySentences: z.number().int().min(1).max(20).default(3),
  labels: z.array(z.strictObject({ label: z.string().max(60), hints: z.array(z.string()).default([]) })).max(30).default([]),
  pairs: z.array(z.strictObject({ from: z.string(), to: z.string() })).default([]),
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
      ['labels', 'list', false],
      ['pairs', 'json', false],
      ['mode', 'select', false],
      ['strict', 'boolean', false],
      ['url', 'text', true],
    ]);
    expect(spec.fields[1]).toMatchObject({ min: 1, max: 20, default: 3, label: 'Summary sentences' });
    expect(spec.fields[4]).toMatchObject({ options: ['fast', 'full'] });
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
    const [providers, sentences, , pairs, , strict, url] = formFor(json(Analysis)).fields;
    expect(readField(providers!, ' builtin, openai ,')).toEqual({ ok: true, value: ['builtin', 'openai'] });
    expect(readField(sentences!, '4')).toEqual({ ok: true, value: 4 });
    expect(readField(sentences!, '4.5')).toMatchObject({ ok: false, message: expect.stringMatching(/whole number/) });
    expect(readField(sentences!, '40')).toMatchObject({ ok: false, message: expect.stringMatching(/at most 20/) });
    expect(readField(sentences!, '')).toEqual({ ok: true, value: undefined });
    expect(readField(pairs!, '[{"from":"a","to":"b"}]')).toEqual({ ok: true, value: [{ from: 'a', to: 'b' }] });
    expect(readField(pairs!, '[{')).toMatchObject({ ok: false });
    expect(readField(strict!, false)).toEqual({ ok: true, value: false });
    expect(readField(url!, '')).toMatchObject({ ok: false, message: 'Url is needed.' });
  });

  it('shows values, or the default when one is missing', () => {
    const [providers, sentences, , pairs] = formFor(json(Analysis)).fields;
    expect(showField(providers!, undefined)).toBe('builtin');
    expect(showField(sentences!, 7)).toBe('7');
    expect(showField(pairs!, [{ from: 'a', to: 'b' }])).toBe('[{"from":"a","to":"b"}]');
  });

  it('gives required fields without defaults a starting value where one makes sense', () => {
    expect(initialParams(formFor(json(z.strictObject({ ms: z.number().int().min(0) }))))).toEqual({ ms: 0 });
    expect(labelOf('failOnReject')).toBe('Fail on reject');
  });

  it('gives lists of strings, and of objects named by one string, a tag input', () => {
    const fields = formFor(json(Analysis)).fields;
    const providers = fields[0] as Field & { type: 'list' };
    const labels = fields[2] as Field & { type: 'list' };
    expect(labels).toMatchObject({ type: 'list', itemKey: 'label', maxItems: 30, maxLength: 60 });
    expect(tagsOf(providers, undefined)).toEqual(['builtin']);
    expect(tagsOf(labels, [{ label: 'urgent', hints: ['asap'] }])).toEqual(['urgent']);

    // Enter adds what was typed; the same tag twice, or one too long, is refused with the reason
    const added = addTag(labels, ['urgent'], '  invoice ');
    expect(added).toEqual({ ok: true, tags: ['urgent', 'invoice'] });
    expect(addTag(labels, ['urgent'], 'urgent')).toMatchObject({ ok: false, message: expect.stringMatching(/already/) });
    expect(addTag(labels, [], 'x'.repeat(61))).toMatchObject({ ok: false });
    // a label keeps its hints while its tag stays; a new one starts bare
    expect(listValue(labels, ['urgent', 'invoice'], [{ label: 'urgent', hints: ['asap'] }])).toEqual([{ label: 'urgent', hints: ['asap'] }, { label: 'invoice' }]);
    expect(listValue(providers, ['builtin', 'openai'], undefined)).toEqual(['builtin', 'openai']);
  });

  it('offers only the allowed values of a list of choices', () => {
    const [picks] = formFor(json(z.strictObject({ picks: z.array(z.enum(['confirm', 'relax'])).min(1) }))).fields;
    expect(picks).toMatchObject({ type: 'list', options: ['confirm', 'relax'] });
    expect(addTag(picks as Field & { type: 'list' }, [], 'jump')).toMatchObject({ ok: false, message: 'Choose one of: confirm, relax.' });
  });

  it('turns a field the server configures (the network) into a select of its values', () => {
    const spec = withChoices(formFor(json(z.strictObject({ network: z.string().max(32).optional() }))), { network: { options: ['local', 'sepolia'], emptyLabel: 'Default (local)' } });
    expect(spec.fields[0]).toMatchObject({ key: 'network', type: 'select', options: ['local', 'sepolia'], emptyLabel: 'Default (local)', required: false });
    // with no networks configured, it stays a typed field
    const none = withChoices(formFor(json(z.strictObject({ network: z.string().optional() }))), { network: { options: [], emptyLabel: 'Default' } });
    expect(none.fields[0]!.type).toBe('text');
  });
});
