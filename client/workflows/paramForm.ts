/** The DOM form for one step's parameters, generated from its kind's schema (see schemaForm.ts). */
import { h } from '../ui/kit/dom';
import { fieldsOf, readField, showField, type Field, type FormSpec } from './schemaForm';
import { tagInput } from './tagInput';

export interface ParamFormOptions {
  spec: FormSpec | undefined;
  params: Record<string, unknown>;
  /** Test ids are `${prefix}-${field key}`. */
  prefix: string;
  /** A typed value changed and reads well; `structural` when other fields must be shown. */
  change(params: Record<string, unknown>, structural: boolean): void;
}

function input(field: Field, value: string | boolean, testId: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  switch (field.type) {
    case 'boolean': {
      const el = h('input', { type: 'checkbox', 'data-testid': testId });
      el.checked = value === true;
      return el;
    }
    case 'select': {
      const el = h('select', { 'data-testid': testId }, ...(field.required ? [] : [h('option', { value: '' }, field.emptyLabel ?? '—')]), ...field.options.map((o) => h('option', { value: o }, o)));
      el.value = String(value);
      return el;
    }
    case 'json': {
      const el = h('textarea', { rows: '2', 'data-testid': testId, spellcheck: 'false' });
      el.value = String(value);
      return el;
    }
    case 'text':
      if (field.long) {
        const el = h('textarea', { rows: '3', 'data-testid': testId });
        el.value = String(value);
        return el;
      }
      break;
    default:
      break;
  }
  const attrs: Record<string, string | undefined> = { 'data-testid': testId };
  if (field.type === 'number' || field.type === 'integer') {
    Object.assign(attrs, { type: 'number', step: field.type === 'integer' ? '1' : 'any', min: field.min?.toString(), max: field.max?.toString() });
  } else if (field.type === 'text' && field.format === 'uri') {
    attrs.type = 'url';
  }
  const el = h('input', attrs);
  el.value = String(value);
  return el;
}

/** Builds the fields; typed values that do not read well are marked and kept out of the draft. */
export function paramForm(opts: ParamFormOptions): HTMLElement {
  const box = h('div', { class: 'wf-params' });
  const spec = opts.spec;
  if (!spec) {
    box.append(h('p', { class: 'muted' }, 'This kind is not known here; its parameters are kept as they are.'));
    return box;
  }
  let params = { ...opts.params };
  if (spec.variants) {
    const v = spec.variants;
    const id = `${opts.prefix}-${v.key}`;
    const select = h('select', { 'data-testid': id }, ...v.options.map((o) => h('option', { value: o.value }, o.value)));
    select.value = String(params[v.key] ?? v.options[0]?.value ?? '');
    select.addEventListener('change', () => {
      // another variant takes other fields: start it clean
      params = { [v.key]: select.value };
      opts.change(params, true);
    });
    box.append(h('label', {}, v.label, select));
  }
  for (const field of fieldsOf(spec, params)) {
    const testId = `${opts.prefix}-${field.key}`;
    const problem = h('span', { class: 'wf-field-error', role: 'alert' });
    const hint = field.description ? h('span', { class: 'wf-field-hint' }, field.description) : null;
    const title = `${field.label}${field.required ? ' *' : ''}`;
    if (field.type === 'list') {
      const tags = tagInput(field, params[field.key], testId, problem, (value) => {
        params = { ...params };
        if (value === undefined) delete params[field.key];
        else params[field.key] = value;
        opts.change(params, false);
      });
      // a label around the chips would send clicks on their × to the text input instead
      const id = `${testId}-input`;
      tags.input.id = id;
      box.append(h('div', { class: 'wf-field' }, h('label', { for: id }, title), hint, tags.element, problem));
      continue;
    }
    const el = input(field, showField(field, params[field.key]), testId);
    const onInput = () => {
      const read = readField(field, el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value);
      problem.textContent = read.ok ? '' : read.message;
      el.setAttribute('aria-invalid', String(!read.ok));
      if (!read.ok) return;
      params = { ...params };
      if (read.value === undefined) delete params[field.key];
      else params[field.key] = read.value;
      opts.change(params, false);
    };
    el.addEventListener(field.type === 'boolean' || field.type === 'select' ? 'change' : 'input', onInput);
    box.append(h('label', {}, title, hint, el, problem));
  }
  return box;
}
