// The form of one template: a control per parameter (from its shape and format in the catalog), group-by
// and measure pickers, sort, page size and the filter builder (with each column's lookups from the
// catalog). The form reads from and writes to the API's own query string.

import { el } from './dom.js';

const PAGE_SIZES = [100, 1000, 5000];
export const DEFAULT_PAGE_SIZE = 1000;

export function defaultText(parameter) {
  const value = parameter.defaultValue;
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
}

/** The input type for a parameter's values, from the JSON shape and format the catalog gives it. */
function inputType(parameter) {
  const byFormat = { date: 'date', 'date-time': 'datetime-local' }[parameter.format];
  return byFormat || (parameter.shape === 'integer' || parameter.shape === 'number' ? 'number' : 'text');
}

/** A labelled control for a parameter, from its declared type: {name, defaultText, read(), write(text), wrapper}. */
function parameterField(parameter) {
  const id = 'param-' + parameter.name;
  const list = parameter.type.endsWith('[]');
  const hint = [parameter.description, parameter.min !== null || parameter.max !== null
    ? `from ${parameter.min ?? '…'} to ${parameter.max ?? '…'}` : null, list && parameter.allowed.length === 0 ? 'comma-separated' : null]
    .filter(Boolean).join('; ');
  // optional means the query runs without it: a parameter with a default always has a value
  const optional = !parameter.required && parameter.defaultValue === null;
  const label = [parameter.name, optional ? el('span', { class: 'muted' }, ' (optional)') : null];
  const field = { name: parameter.name, defaultText: defaultText(parameter) };

  if (list && parameter.allowed.length > 0) {
    // several of a fixed set: a checkbox each
    const boxes = parameter.allowed.map((value, i) => el('input', { type: 'checkbox', id: `${id}-${i}`, value: String(value) }));
    field.read = () => boxes.filter(box => box.checked).map(box => box.value).join(',');
    field.write = text => boxes.forEach(box => { box.checked = text.split(',').includes(box.value); });
    field.wrapper = el('fieldset', { class: 'field wide', 'data-param': parameter.name }, el('legend', {}, label),
      el('div', { class: 'choices' }, boxes.map(box => el('label', { class: 'check' }, box, ' ' + box.value))),
      hint ? el('p', { class: 'hint' }, hint) : null);
    return field;
  }
  let input;
  if (parameter.allowed.length > 0 || parameter.shape === 'boolean') {
    const choices = parameter.allowed.length > 0 ? parameter.allowed.map(String) : ['true', 'false'];
    input = el('select', { id }, parameter.required && parameter.defaultValue !== null ? null : el('option', { value: '' }, '—'),
      choices.map(choice => el('option', { value: choice }, choice)));
  } else {
    const type = inputType(parameter);
    input = el('input', { id, type, min: parameter.min, max: parameter.max,
      step: parameter.shape === 'number' ? 'any' : parameter.format === 'date-time' || type === 'number' ? '1' : null });
  }
  field.read = () => input.value.trim();
  field.write = text => { input.value = text; };
  field.wrapper = el('div', { class: 'field', 'data-param': parameter.name }, el('label', { for: id }, label), input,
    hint ? el('p', { class: 'hint', id: id + '-hint' }, hint) : null);
  if (hint) {
    input.setAttribute('aria-describedby', id + '-hint');
  }
  return field;
}

/**
 * A group of checkboxes for _group or _measures, read as a comma-separated list. With sendsNone, none
 * checked is sent as an empty value (_group= asks for one row of totals, where leaving _group out groups
 * by the template's @group).
 */
function choiceField(name, legend, choices, whenAbsent, sendsNone = false) {
  const boxes = choices.map(choice => el('input', { type: 'checkbox', id: `${name}-${choice}`, value: choice }));
  return { name, defaultText: whenAbsent, sendsNone,
    read: () => boxes.filter(box => box.checked).map(box => box.value).join(','),
    write: text => boxes.forEach(box => { box.checked = text.split(',').includes(box.value); }),
    wrapper: el('fieldset', { class: 'field wide', 'data-param': name }, el('legend', {}, legend),
      el('div', { class: 'choices' }, boxes.map(box => el('label', { class: 'check' }, box, ' ' + box.value)))) };
}

/**
 * One filter: column, lookup and value, written into the query as col__lookup=value. The lookups
 * offered are the column's own (the catalog's); a column or lookup from a link that the template
 * does not offer is shown as it came, for the API's answer to explain beside it.
 */
function filterRow(columns, number, column = columns[0]?.name, lookup = 'exact', value = '') {
  const columnSelect = el('select', { 'aria-label': `Filter ${number} column` },
    columns.map(candidate => el('option', { value: candidate.name, selected: candidate.name === column }, candidate.name)));
  if (!columns.some(candidate => candidate.name === column)) {
    columnSelect.prepend(el('option', { value: column, selected: true }, column));
  }
  const lookupSelect = el('select', { 'aria-label': `Filter ${number} lookup` });
  const offerLookups = chosen => {
    const lookups = columns.find(candidate => candidate.name === columnSelect.value)?.lookups || ['exact'];
    lookupSelect.replaceChildren(...(lookups.includes(chosen) ? lookups : [chosen, ...lookups])
      .map(name => el('option', { value: name, selected: name === chosen }, name)));
  };
  offerLookups(lookup);
  columnSelect.addEventListener('change', () => {
    const lookups = columns.find(candidate => candidate.name === columnSelect.value)?.lookups || [];
    offerLookups(lookups.includes(lookupSelect.value) ? lookupSelect.value : 'exact');
  });
  const valueInput = el('input', { type: 'text', value, 'aria-label': `Filter ${number} value`,
    placeholder: 'value (in, range: a,b)' });
  const row = el('div', { class: 'filter' }, columnSelect, lookupSelect, valueInput,
    el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove filter ${number}`, onclick: () => row.remove() }, 'Remove'));
  row.key = () => lookupSelect.value === 'exact' ? columnSelect.value : columnSelect.value + '__' + lookupSelect.value;
  row.value = () => valueInput.value;
  return row;
}

/**
 * The form of a template: {form, runButton, stopButton, queryString(), fillForm()}. queryString() is the
 * form as the API's query string, fillForm() puts the address bar's query into the form.
 */
export function queryForm(entry) {
  const grouped = entry.dimensions.length > 0;
  const parameterFields = entry.parameters.map(parameterField);
  const groupFields = grouped ? [
    choiceField('_group', 'Group by', entry.dimensions, entry.group.join(','), entry.group.length > 0),
    // without _measures the API computes every measure
    choiceField('_measures', 'Measures', entry.measures, entry.measures.join(','))] : [];
  const fields = [...parameterFields, ...groupFields];
  const sortable = grouped ? [...entry.dimensions, ...entry.measures] : entry.sortable;
  const sortSelect = el('select', { id: 'sort' }, el('option', { value: '' }, 'default order'),
    sortable.map(column => el('option', { value: column }, column)));
  const descending = el('input', { type: 'checkbox', id: 'descending' });
  const pageSize = el('select', { id: 'page-size' }, PAGE_SIZES.map(size => el('option', { value: size }, String(size))));
  // a column of a type Quarry cannot filter on has no lookups
  const filterColumns = entry.columns.filter(column => column.lookups.length > 0);
  const filters = el('div', { class: 'filters' });
  const addFilter = el('button', { type: 'button', class: 'secondary', onclick: () => {
    const row = filterRow(filterColumns, filters.children.length + 1);
    filters.append(row);
    row.querySelector('select').focus();
  } }, 'Add filter');
  const runButton = el('button', { type: 'submit', id: 'run' }, 'Run');
  const stopButton = el('button', { type: 'button', id: 'stop', disabled: true }, 'Stop');
  const form = el('form', { id: 'query-form', novalidate: true },
    parameterFields.length === 0 ? null : el('div', { class: 'fields' }, parameterFields.map(field => field.wrapper)),
    groupFields.length === 0 ? null : el('div', { class: 'fields' }, groupFields.map(field => field.wrapper)),
    el('div', { class: 'fields' },
      sortable.length === 0 ? null : el('div', { class: 'field', 'data-param': '_sort' }, el('label', { for: 'sort' }, 'Sort by'), sortSelect,
        el('label', { class: 'check' }, descending, ' descending')),
      el('div', { class: 'field', 'data-param': '_limit' }, el('label', { for: 'page-size' }, 'Rows per page'), pageSize),
      el('fieldset', { class: 'field wide' }, el('legend', {}, 'Filters'), filters, addFilter)),
    el('div', { class: 'buttons' }, runButton, stopButton));

  /** The form as the API's query string: only what differs from the template's defaults. */
  const queryString = () => {
    const query = new URLSearchParams();
    for (const field of fields) {
      const value = field.read();
      if (value !== field.defaultText && (value !== '' || field.sendsNone)) {
        query.set(field.name, value);
      }
    }
    if (sortSelect.value) {
      query.set('_sort', (descending.checked ? '-' : '') + sortSelect.value);
    }
    for (const row of filters.children) {
      query.append(row.key(), row.value());
    }
    if (Number(pageSize.value) !== DEFAULT_PAGE_SIZE) {
      query.set('_limit', pageSize.value);
    }
    return query.toString();
  };

  /** The address bar into the form: what a shared link or the back button brings. */
  const fillForm = () => {
    const query = new URLSearchParams(location.search);
    for (const field of fields) {
      field.write(query.has(field.name) ? query.get(field.name) : field.defaultText);
    }
    // the control holds one sort key: a link with several keeps its first
    const sort = (query.get('_sort') || '').split(',')[0];
    descending.checked = sort.startsWith('-');
    sortSelect.value = sort.replace(/^-/, '');
    const size = query.get('_limit') || String(DEFAULT_PAGE_SIZE);
    if (![...pageSize.options].some(option => option.value === size)) {
      pageSize.append(el('option', { value: size }, size));
    }
    pageSize.value = size;
    filters.replaceChildren();
    for (const [key, value] of query) {
      if (!key.startsWith('_') && !fields.some(field => field.name === key)) {
        // column__lookup when the part before the last __ is a column of the template, else an exact filter
        const split = key.lastIndexOf('__');
        const onColumn = split > 0 && entry.columns.some(column => column.name === key.slice(0, split));
        filters.append(filterRow(filterColumns, filters.children.length + 1,
          onColumn ? key.slice(0, split) : key, onColumn ? key.slice(split + 2) : 'exact', value));
      }
    }
  };

  return { form, runButton, stopButton, queryString, fillForm };
}
