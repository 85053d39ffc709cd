/**
 * A list of short strings as tags: type one and press Enter (or a comma) to add it, × to take it
 * out. Used for the list parameters of step kinds (providers, labels) instead of raw JSON.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { addTag, listValue, tagsOf, type Field } from './schemaForm';

export interface TagInput {
  element: HTMLElement;
  /** Where the person types; labelled by the field's label. */
  input: HTMLInputElement;
}

export function tagInput(field: Field & { type: 'list' }, value: unknown, testId: string, problem: HTMLElement, change: (value: unknown) => void): TagInput {
  let tags = tagsOf(field, value);
  let previous = value;
  const chips = h('ul', { class: 'wf-tags', 'data-testid': `${testId}-tags` });
  const input = h('input', { 'data-testid': testId, placeholder: field.options ? `Add: ${field.options.join(', ')}` : 'Type and press Enter', enterkeyhint: 'done' });
  const element = h('div', { class: 'wf-tag-input' }, chips, input);
  if (field.options) {
    const list = h('datalist', { id: `${testId}-options` }, ...field.options.map((o) => h('option', { value: o })));
    input.setAttribute('list', list.id);
    element.append(list);
  }

  const commit = (next: string[]) => {
    tags = next;
    previous = listValue(field, tags, previous);
    render();
    change(previous);
  };
  const render = () =>
    replaceChildren(
      chips,
      ...tags.map((tag) => {
        const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${tag}`, 'data-testid': `${testId}-remove` }, '×');
        remove.addEventListener('click', () => commit(tags.filter((t) => t !== tag)));
        return h('li', { class: 'wf-tag', 'data-tag': tag }, h('span', {}, tag), remove);
      }),
    );
  const add = () => {
    const result = addTag(field, tags, input.value);
    problem.textContent = result.ok ? '' : result.message;
    input.setAttribute('aria-invalid', String(!result.ok));
    if (!result.ok) return;
    input.value = '';
    if (result.tags.length !== tags.length) commit(result.tags);
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && !input.value && tags.length) {
      commit(tags.slice(0, -1));
    }
  });
  input.addEventListener('change', add);
  render();
  return { element, input };
}
