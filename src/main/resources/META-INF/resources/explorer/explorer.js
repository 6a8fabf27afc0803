// The explorer: the catalog at /, and at /explore/{template}?{query} the page of one template, whose
// query string is exactly the one /queries/{template} takes, so the address bar is a shareable link.
// Chart choices, which the API knows nothing of, live in the fragment (#x=...&y=...&split=...&kind=...).
// api.js does the talking to Quarry; this file builds the pages with el(), a small DOM helper.

import * as api from './api.js';

const ECHARTS = '/webjars/echarts/5.3.1/dist/echarts.esm.min.js';
const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);
const LOOKUPS = ['exact', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'range', 'contains', 'icontains', 'startswith', 'isnull'];
const PAGE_SIZES = [100, 1000, 5000];
const DEFAULT_PAGE_SIZE = 1000;

const main = document.getElementById('main');
let catalog = null;

/** A DOM element: attributes (null and false left out, on* as listeners) and children (text or nodes). */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  element.append(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
  return element;
}

async function loadCatalog() {
  catalog = catalog || await api.getJson('/queries');
  return catalog;
}

async function show() {
  const forget = document.getElementById('forget-token');
  forget.hidden = !api.token();
  forget.onclick = () => {
    api.setToken(null);
    location.reload();
  };
  try {
    if (location.pathname.startsWith('/explore/')) {
      await showTemplate(decodeURIComponent(location.pathname.slice('/explore/'.length)));
    } else {
      await showCatalog();
    }
  } catch (error) {
    if (error.problem && error.problem.status === 401) {
      askForToken(error.problem);
    } else {
      main.replaceChildren(problemBox(error.problem || { title: 'Error', detail: error.message }));
    }
  }
}

// ---- authentication --------------------------------------------------------------------------

/** Asks once for the bearer token; it stays in this tab's sessionStorage and goes out only as a header. */
function askForToken(problem) {
  const input = el('input', { id: 'token', type: 'password', autocomplete: 'off', required: true });
  main.replaceChildren(el('form', { class: 'box', onsubmit: event => {
    event.preventDefault();
    api.setToken(input.value.trim());
    catalog = null;
    show();
  } },
  el('h1', {}, 'Sign in'),
  el('p', {}, api.token() ? 'Quarry did not accept the token: ' + problem.detail : 'This Quarry needs a bearer token.',
    ' It is kept in this browser tab only and sent as an Authorization header, never in a link.'),
  el('div', { class: 'field' }, el('label', { for: 'token' }, 'Bearer token'), input),
  el('button', { type: 'submit' }, 'Use token')));
  input.focus();
}

// ---- catalog ---------------------------------------------------------------------------------

async function showCatalog() {
  const entries = await loadCatalog();
  const search = el('input', { id: 'search', type: 'search', placeholder: 'a name or words of a description',
    value: new URLSearchParams(location.search).get('q') || '' });
  const count = el('p', { class: 'muted', role: 'status' });
  const list = el('div');
  const render = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const matching = entries.filter(entry => {
      const text = [entry.name, entry.summary, entry.description, ...entry.parameters.map(p => p.name)].join(' ').toLowerCase();
      return words.every(word => text.includes(word));
    });
    count.textContent = matching.length === entries.length ? `${entries.length} templates`
      : `${matching.length} of ${entries.length} templates`;
    const folders = Map.groupBy(matching, entry => entry.name.includes('/') ? entry.name.slice(0, entry.name.lastIndexOf('/')) : '');
    list.replaceChildren(...[...folders].map(([folder, inFolder]) => el('section', {},
      el('h2', {}, folder || 'templates'),
      el('ul', { class: 'catalog' }, inFolder.map(catalogEntry)))));
  };
  search.addEventListener('input', () => {
    history.replaceState(null, '', search.value ? '/?q=' + encodeURIComponent(search.value) : '/');
    render();
  });
  main.replaceChildren(
    el('h1', {}, 'Analyses'),
    el('div', { class: 'field wide' }, el('label', { for: 'search' }, 'Search templates'), search),
    count, list);
  render();
}

function catalogEntry(entry) {
  return el('li', {},
    el('a', { href: '/explore/' + entry.name, class: 'entry-name' }, entry.name),
    el('span', { class: 'summary' }, entry.summary),
    entry.broken ? el('p', { class: 'error' }, 'Out of service: ' + entry.broken) : null,
    entry.description ? el('p', { class: 'muted' }, entry.description) : null,
    entry.parameters.length === 0 ? null : el('ul', { class: 'chips', 'aria-label': 'Parameters of ' + entry.name },
      entry.parameters.map(p => el('li', {}, el('code', {}, p.name), ' ', p.type,
        p.defaultValue === null ? (p.required ? '' : ' (optional)') : ' = ' + defaultText(p)))));
}

// ---- one template: the form ------------------------------------------------------------------

function defaultText(parameter) {
  const value = parameter.defaultValue;
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
}

/** A labelled control for a parameter, from its declared type: {name, defaultText, read(), write(text), wrapper}. */
function parameterField(parameter) {
  const id = 'param-' + parameter.name;
  const list = parameter.type.endsWith('[]');
  const type = parameter.type.replace('[]', '');
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
  if (parameter.allowed.length > 0 || type === 'boolean') {
    const choices = parameter.allowed.length > 0 ? parameter.allowed.map(String) : ['true', 'false'];
    input = el('select', { id }, parameter.required && parameter.defaultValue !== null ? null : el('option', { value: '' }, '—'),
      choices.map(choice => el('option', { value: choice }, choice)));
  } else {
    const inputType = { date: 'date', timestamp: 'datetime-local', int: 'number', bigint: 'number', numeric: 'number' }[type] || 'text';
    input = el('input', { id, type: inputType, min: parameter.min, max: parameter.max,
      step: type === 'numeric' ? 'any' : type === 'timestamp' || inputType === 'number' ? '1' : null });
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

/** A group of checkboxes for _group or _measures, read as a comma-separated list. */
function choiceField(name, legend, choices, whenAbsent) {
  const boxes = choices.map(choice => el('input', { type: 'checkbox', id: `${name}-${choice}`, value: choice }));
  return { name, defaultText: whenAbsent,
    read: () => boxes.filter(box => box.checked).map(box => box.value).join(','),
    write: text => boxes.forEach(box => { box.checked = text.split(',').includes(box.value); }),
    wrapper: el('fieldset', { class: 'field wide', 'data-param': name }, el('legend', {}, legend),
      el('div', { class: 'choices' }, boxes.map(box => el('label', { class: 'check' }, box, ' ' + box.value)))) };
}

/** One filter: column, lookup and value, written into the query as col__lookup=value. */
function filterRow(columns, number, column = columns[0], lookup = 'exact', value = '') {
  const columnSelect = el('select', { 'aria-label': `Filter ${number} column` },
    columns.map(name => el('option', { value: name, selected: name === column }, name)));
  const lookupSelect = el('select', { 'aria-label': `Filter ${number} lookup` },
    LOOKUPS.map(name => el('option', { value: name, selected: name === lookup }, name)));
  const valueInput = el('input', { type: 'text', value, 'aria-label': `Filter ${number} value`,
    placeholder: 'value (in, range: a,b)' });
  const row = el('div', { class: 'filter' }, columnSelect, lookupSelect, valueInput,
    el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove filter ${number}`, onclick: () => row.remove() }, 'Remove'));
  row.key = () => lookupSelect.value === 'exact' ? columnSelect.value : columnSelect.value + '__' + lookupSelect.value;
  row.value = () => valueInput.value;
  if (!columns.includes(column)) {
    columnSelect.prepend(el('option', { value: column, selected: true }, column));
  }
  return row;
}

// ---- one template: the page ------------------------------------------------------------------

async function showTemplate(name) {
  const entry = (await loadCatalog()).find(candidate => candidate.name === name);
  if (!entry) {
    main.replaceChildren(el('h1', {}, name), problemBox({ status: 404, title: 'Unknown template',
      detail: `There is no template named “${name}”${api.token() ? ' that your token may run' : ''}.` }));
    return;
  }
  const grouped = entry.dimensions.length > 0;
  const parameterFields = entry.parameters.map(parameterField);
  const groupFields = grouped ? [
    choiceField('_group', 'Group by', entry.dimensions, ''),
    // without _measures the API computes every measure
    choiceField('_measures', 'Measures', entry.measures, entry.measures.join(','))] : [];
  const fields = [...parameterFields, ...groupFields];
  const sortable = grouped ? [...entry.dimensions, ...entry.measures] : entry.sortable;
  const sortSelect = el('select', { id: 'sort' }, el('option', { value: '' }, 'default order'),
    sortable.map(column => el('option', { value: column }, column)));
  const descending = el('input', { type: 'checkbox', id: 'descending' });
  const pageSize = el('select', { id: 'page-size' }, PAGE_SIZES.map(size => el('option', { value: size }, String(size))));
  const filterColumns = entry.columns.map(column => column.name);
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
      if (value !== '' && value !== field.defaultText) {
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
        const split = key.lastIndexOf('__');
        const lookup = split > 0 && LOOKUPS.includes(key.slice(split + 2)) ? key.slice(split + 2) : 'exact';
        filters.append(filterRow(filterColumns, filters.children.length + 1,
          lookup === 'exact' ? key : key.slice(0, split), lookup, value));
      }
    }
  };

  const results = resultsPanel(entry, form, { runButton, stopButton });
  form.addEventListener('submit', event => {
    event.preventDefault();
    const search = queryString();
    const url = '/explore/' + entry.name + (search ? '?' + search : '') + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history.pushState(null, '', url);
    }
    results.run();
  });
  window.onpopstate = () => {
    fillForm();
    results.run();
  };

  main.replaceChildren(...[
    el('nav', { class: 'crumbs' }, el('a', { href: '/' }, '← All templates')),
    el('h1', {}, entry.name, ' ', el('span', { class: 'summary' }, entry.summary)),
    entry.description ? el('p', { class: 'muted' }, entry.description) : null,
    form, results.element].filter(Boolean));
  fillForm();
  results.run();
}

// ---- one template: results, chart, downloads, SQL ---------------------------------------------

function resultsPanel(entry, form, { runButton, stopButton }) {
  const status = el('p', { id: 'status', role: 'status' });
  const message = el('div', { id: 'message', role: 'alert' });
  const table = el('table', { id: 'results' });
  const more = el('button', { type: 'button', id: 'more', hidden: true }, 'More rows');
  const chart = chartPanel(entry.key);
  const curl = el('pre', { id: 'curl' });
  const explain = el('div', { id: 'explain' });
  const explainDetails = el('details', { ontoggle: () => explainDetails.open && loadExplain() },
    el('summary', {}, 'SQL and plan'), explain);
  const actions = el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'secondary', onclick: () => saveAs('text/csv; profile=spreadsheet', 'csv') }, 'Download CSV'),
    el('button', { type: 'button', class: 'secondary', onclick: () => saveAs('application/x-ndjson', 'ndjson') }, 'Download NDJSON'),
    el('button', { type: 'button', class: 'secondary', onclick: () => saveAs('application/vnd.apache.arrow.stream', 'arrow') }, 'Download Arrow'),
    el('details', {}, el('summary', {}, 'curl'), curl,
      el('button', { type: 'button', class: 'secondary', onclick: () => navigator.clipboard.writeText(curl.textContent)
        .then(() => { status.textContent = 'curl command copied'; }, () => { status.textContent = 'Select the command and copy it'; }) }, 'Copy curl')),
    explainDetails);
  const state = { columns: [], rows: [], controller: null, next: null };

  const apiPath = extra => {
    const query = new URLSearchParams(location.search);
    Object.entries(extra).forEach(([key, value]) => query.set(key, value));
    return '/queries/' + entry.name + (query.size ? '?' + query : '');
  };

  async function saveAs(accept, extension) {
    const query = new URLSearchParams(location.search);
    query.delete('_limit'); // a download is the whole result
    try {
      await api.download('/queries/' + entry.name + (query.size ? '?' + query : ''), accept, entry.name.replaceAll('/', '-') + '.' + extension);
    } catch (error) {
      showProblem(error.problem);
    }
  }

  async function loadExplain() {
    explain.replaceChildren(el('p', { class: 'muted' }, 'Asking PostgreSQL for the plan…'));
    try {
      const plan = await api.getJson(apiPath({ _explain: 'true' }));
      explain.replaceChildren(el('h3', {}, 'SQL'), el('pre', {}, plan.sql),
        el('h3', {}, 'Bound values'), plan.values.length === 0 ? el('p', { class: 'muted' }, 'none')
          : el('ol', {}, plan.values.map((value, i) => el('li', {}, el('code', {}, `$${i + 1}`), ' = ', valueText(value)))),
        el('h3', {}, 'Plan'), el('pre', {}, planText(plan.plan[0].Plan, 0)));
    } catch (error) {
      explain.replaceChildren(problemBox(error.problem));
    }
  }

  function setColumns(columns) {
    state.columns = columns;
    table.replaceChildren(el('thead', {}, el('tr', {}, columns.map(column =>
      el('th', { scope: 'col', class: NUMERIC_TYPES.has(column.type) ? 'num' : null, title: column.type }, column.name)))), el('tbody'));
  }

  function appendRows(rows) {
    const cells = rows.map(row => el('tr', {}, state.columns.map(column => {
      const value = row[column.name];
      return el('td', { class: NUMERIC_TYPES.has(column.type) ? 'num' : null },
        value === null ? el('span', { class: 'null' }, 'null') : String(value));
    })));
    table.tBodies[0].append(...cells);
  }

  function clearErrors() {
    message.replaceChildren();
    form.querySelectorAll('.field-error').forEach(error => error.remove());
    form.querySelectorAll('[aria-invalid]').forEach(input => {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', (input.getAttribute('aria-describedby') || '').replace(/\s*error-\S+/g, '').trim());
    });
  }

  /** A 400 beside the field it names; anything else as a message above the results. */
  function showProblem(problem, rowsSoFar) {
    if (problem.status === 401) {
      askForToken(problem);
      return;
    }
    const wrapper = problem.status === 400 && problem.parameter ? fieldOf(problem.parameter) : null;
    if (wrapper) {
      const input = wrapper.matches('.filter') ? wrapper.querySelector('input') : wrapper.querySelector('input, select');
      const errorId = 'error-' + problem.parameter.replace(/\W/g, '_');
      wrapper.append(el('p', { class: 'field-error', id: errorId }, problemText(problem)));
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + errorId).trim());
      input.focus();
      status.textContent = `Not run: check “${problem.parameter}”.`;
      return;
    }
    const retry = problem.retryAfter
      ? el('button', { type: 'button', class: 'secondary', onclick: () => form.requestSubmit() }, 'Try again') : null;
    message.replaceChildren(problemBox(problem, rowsSoFar, retry));
  }

  /** The form element a problem's parameter names: a parameter, _sort, _group, _limit or a filter. */
  function fieldOf(parameter) {
    const named = form.querySelector(`[data-param="${CSS.escape(parameter)}"]`);
    if (named) {
      return named;
    }
    return [...form.querySelectorAll('.filter')].find(row => row.key() === parameter) || null;
  }

  async function run(extra = null) {
    state.controller?.abort();
    const controller = new AbortController();
    state.controller = controller;
    clearErrors();
    if (!extra) {
      state.rows = [];
      table.replaceChildren();
      chart.clear();
      curl.textContent = curlCommand('/queries/' + entry.name + location.search);
      if (explainDetails.open) {
        loadExplain();
      }
    }
    more.hidden = true;
    const size = Number(new URLSearchParams(location.search).get('_limit') || DEFAULT_PAGE_SIZE);
    const started = performance.now();
    let received = 0;
    let lastId = null;
    const progress = () => `${state.rows.length.toLocaleString('en')} rows · ${((performance.now() - started) / 1000).toFixed(1)} s`;
    const ticker = setInterval(() => { status.textContent = 'Running: ' + progress(); }, 100);
    status.textContent = 'Running…';
    runButton.disabled = true;
    stopButton.disabled = false;
    stopButton.onclick = () => controller.abort();
    // one row past the page tells whether there is more; it is not shown
    try {
      await api.stream(apiPath({ ...extra, _limit: size + 1 }), controller.signal, {
        meta: columns => extra || setColumns(columns),
        rows: arrived => {
          const shown = arrived.filter(() => ++received <= size);
          if (shown.length > 0) {
            lastId = shown[shown.length - 1].id;
            state.rows.push(...shown.map(item => item.row));
            appendRows(shown.map(item => item.row));
          }
        },
      });
      status.textContent = (received > size ? 'First ' : '') + progress();
      if (received > size) {
        // a keyed query's row id is its signed cursor; otherwise it is the row's number and the next page is an offset
        const keyed = !/^\d+$/.test(lastId);
        state.next = keyed ? { _after: lastId } : { _offset: Number(new URLSearchParams(location.search).get('_offset') || 0) + state.rows.length };
        more.hidden = false;
      }
    } catch (error) {
      if (error.name === 'AbortError') {
        if (state.controller === controller) {
          status.textContent = 'Stopped: ' + progress();
        }
      } else {
        status.textContent = 'Failed: ' + progress();
        showProblem(error.problem || { title: 'The page failed', detail: error.message }, state.rows.length);
      }
    } finally {
      clearInterval(ticker);
      if (state.controller === controller) {
        runButton.disabled = false;
        stopButton.disabled = true;
        state.controller = null;
        chart.draw(state.columns, state.rows);
      }
    }
  }

  more.addEventListener('click', () => run(state.next));
  // Escape stops a running query from anywhere on the page
  document.addEventListener('keydown', event => {
    if (event.key === 'Escape' && state.controller) {
      state.controller.abort();
    }
  });
  const element = el('section', { class: 'results', 'aria-label': 'Results' }, status, message, actions, chart.element,
    el('div', { class: 'table-wrap', tabindex: '0', 'aria-label': 'Result rows' }, table), more);
  return { element, run: () => run() };
}

function curlCommand(path) {
  return `curl -H 'Accept: text/csv'${api.token() ? ' -H "Authorization: Bearer $QUARRY_TOKEN"' : ''} '${location.origin}${path}'`;
}

/** PostgreSQL's JSON plan as the indented tree EXPLAIN prints. */
function planText(node, depth) {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const line = `${'   '.repeat(depth)}${depth > 0 ? '-> ' : ''}${node['Node Type']}${on}  (cost=${node['Startup Cost']}..${node['Total Cost']} rows=${node['Plan Rows']})`;
  return [line, ...(node.Plans || []).map(child => planText(child, depth + 1))].join('\n');
}

/** A bound value as psql would show it; numbers arrive as their exact text (parseExact), lists as arrays. */
function valueText(value) {
  return value === null ? 'null' : Array.isArray(value) ? '{' + value.join(',') + '}' : String(value);
}

/** A problem as sentences, with what to do: never raw JSON. */
function problemText(problem) {
  const allowed = problem.allowed && problem.allowed.length ? ` Allowed: ${problem.allowed.join(', ')}.` : '';
  return (problem.detail || '') + allowed;
}

function problemBox(problem, rowsSoFar, action) {
  const advice = {
    403: 'Your token does not carry a role this template needs; ask for one, or pick another template.',
    404: 'Pick a template from the catalog.',
    // a 503 for a passing state (busy, unreachable, stopping) says when to come back; a broken template does not
    503: problem.retryAfter ? `Quarry suggests trying again in ${problem.retryAfter} s.` : null,
  }[problem.status];
  return el('div', { class: 'problem' },
    el('strong', {}, rowsSoFar ? `${problem.title} (after ${rowsSoFar} rows)` : problem.title),
    el('p', {}, problemText(problem)),
    advice ? el('p', {}, advice) : null,
    problem.status === 404 ? el('a', { href: '/' }, 'All templates') : null,
    action);
}

// ---- the chart -------------------------------------------------------------------------------

/**
 * A line over a date column, or bars over categories, of the numeric columns the person picks;
 * "split by" draws one series per value of another column (a line per nation over the months).
 */
function chartPanel(keyColumns) {
  const xSelect = el('select', { id: 'chart-x' });
  const splitSelect = el('select', { id: 'chart-split' });
  const kindSelect = el('select', { id: 'chart-kind' }, el('option', { value: 'line' }, 'line'), el('option', { value: 'bar' }, 'bars'));
  const yChoices = el('div', { class: 'choices' });
  const canvas = el('div', { id: 'chart', role: 'img' });
  const element = el('section', { class: 'chart-panel', hidden: true, 'aria-label': 'Chart' },
    el('div', { class: 'fields' },
      el('div', { class: 'field' }, el('label', { for: 'chart-x' }, 'X axis'), xSelect),
      el('fieldset', { class: 'field wide' }, el('legend', {}, 'Y axis'), yChoices),
      el('div', { class: 'field' }, el('label', { for: 'chart-split' }, 'Split by'), splitSelect),
      el('div', { class: 'field' }, el('label', { for: 'chart-kind' }, 'Chart'), kindSelect)),
    canvas);
  let instance = null;
  let data = { columns: [], rows: [] };

  const isTime = name => /^(date|timestamp)/.test(data.columns.find(column => column.name === name)?.type || '');
  const checkedYs = () => [...yChoices.querySelectorAll('input:checked')].map(box => box.value);
  const saved = () => new URLSearchParams(location.hash.slice(1));
  // the choices go into the fragment: the query string is the API's, the fragment the page's own
  const remember = () => {
    history.replaceState(null, '', location.pathname + location.search + '#' + new URLSearchParams(
      { x: xSelect.value, y: checkedYs().join(','), split: splitSelect.value, kind: kindSelect.value }));
    render();
  };
  xSelect.addEventListener('change', () => {
    kindSelect.value = isTime(xSelect.value) ? 'line' : 'bar';
    remember();
  });
  splitSelect.addEventListener('change', remember);
  kindSelect.addEventListener('change', remember);

  async function render() {
    const x = xSelect.value;
    const split = splitSelect.value;
    const ys = checkedYs();
    const keys = x.split(' · ');
    const label = row => keys.map(key => row[key] ?? 'null').join(' · ');
    let labels;
    let series;
    if (split) {
      // one series per value of the split column (per y, when several), aligned on the distinct labels
      labels = [...new Set(data.rows.map(label))];
      const groups = Map.groupBy(data.rows, row => String(row[split] ?? 'null'));
      series = [...groups].flatMap(([group, rows]) => {
        const byLabel = new Map(rows.map(row => [label(row), row]));
        return ys.map(y => ({ name: ys.length > 1 ? `${group} ${y}` : group,
          values: labels.map(text => byLabel.get(text)?.[y] ?? null) }));
      });
    } else {
      labels = data.rows.map(label);
      series = ys.map(y => ({ name: y, values: data.rows.map(row => row[y]) }));
    }
    if (isTime(x)) {
      const order = labels.map((text, i) => i).sort((a, b) => labels[a].localeCompare(labels[b]));
      labels = order.map(i => labels[i]);
      series.forEach(line => { line.values = order.map(i => line.values[i]); });
    }
    const echarts = await import(ECHARTS);
    instance = instance || echarts.init(canvas, null, { renderer: 'svg' });
    canvas.setAttribute('aria-label', `${kindSelect.value === 'line' ? 'Line' : 'Bar'} chart of ${ys.join(', ') || 'nothing'} by ${x}`
      + (split ? `, one series per ${split}` : ''));
    instance.setOption({
      animation: false,
      grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value' },
      // the chart's only rounding: values are drawn as doubles, the table keeps their digits
      series: series.map(line => ({ name: line.name, type: kindSelect.value, showSymbol: labels.length < 60,
        data: line.values.map(value => value === null ? null : Number(value)) })),
    }, true);
  }

  /** A column with a few distinct values that is not on the x axis: one line each reads well. */
  const naturalSplit = (candidates, x) => candidates.filter(name => !x.split(' · ').includes(name))
    .find(name => {
      const distinct = new Set(data.rows.map(row => row[name])).size;
      return distinct > 1 && distinct <= 12;
    }) || '';

  window.addEventListener('resize', () => instance?.resize());
  return {
    element,
    clear() {
      element.hidden = true;
    },
    draw(columns, rows) {
      data = { columns, rows };
      const numeric = columns.filter(column => NUMERIC_TYPES.has(column.type)).map(column => column.name);
      const other = columns.filter(column => !NUMERIC_TYPES.has(column.type)).map(column => column.name);
      if (rows.length === 0 || numeric.length === 0 || other.length === 0) {
        element.hidden = true;
        return;
      }
      const axes = other.length > 1 ? [...other, other.join(' · ')] : other;
      const chosen = saved();
      const x = axes.includes(chosen.get('x')) ? chosen.get('x') : other.find(name => isTime(name)) || axes[axes.length - 1];
      xSelect.replaceChildren(...axes.map(name => el('option', { value: name, selected: name === x }, name)));
      const split = chosen.has('split') ? chosen.get('split') : naturalSplit(other, x);
      splitSelect.replaceChildren(el('option', { value: '' }, '—'),
        ...other.map(name => el('option', { value: name, selected: name === split }, name)));
      const ys = (chosen.get('y') || '').split(',').filter(name => numeric.includes(name));
      // a key (an order number) is no quantity to draw
      const defaultY = numeric.find(name => !keyColumns.includes(name)) || numeric[0];
      yChoices.replaceChildren(...numeric.map(name => el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: name, checked: (ys.length ? ys : [defaultY]).includes(name), onchange: remember }),
        ' ' + name)));
      kindSelect.value = ['bar', 'line'].includes(chosen.get('kind')) ? chosen.get('kind') : isTime(x) ? 'line' : 'bar';
      element.hidden = false;
      render();
    },
  };
}

show();
