// The results of one template: the rows as they stream in, More rows, the chart, downloads, the curl
// command and the SQL with its plan; problems beside the field they name, or above the results.

import * as api from './api.js';
import { chartPanel } from './chart.js';
import { described, isNumeric } from './columns.js';
import { el } from './dom.js';
import { DEFAULT_PAGE_SIZE } from './form.js';
import { problemBox, problemText } from './problems.js';

/** The results panel: {element, run()}; signIn(problem) asks for a token when the API answers 401. */
export function resultsPanel(entry, form, { runButton, stopButton }, signIn) {
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
    state.columns = described(entry.columns, columns);
    table.replaceChildren(el('thead', {}, el('tr', {}, columns.map(column =>
      el('th', { scope: 'col', class: isNumeric(column) ? 'num' : null, title: column.type }, column.name)))), el('tbody'));
  }

  function appendRows(rows) {
    const cells = rows.map(row => el('tr', {}, state.columns.map(column => {
      const value = row[column.name];
      return el('td', { class: isNumeric(column) ? 'num' : null },
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
      signIn(problem);
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
    let source = null;
    // where the rows come from: "rollup analysis/revenue-cube monthly; age=300s" or "template"
    const from = () => (!source ? '' : source === 'template' ? ' · from the template'
      : ` · from ${source.replace(/; age=(\d+)s$/, ', data $1 s old')}`);
    const progress = () => `${state.rows.length.toLocaleString('en')} rows · ${((performance.now() - started) / 1000).toFixed(1)} s${from()}`;
    const ticker = setInterval(() => { status.textContent = 'Running: ' + progress(); }, 100);
    status.textContent = 'Running…';
    runButton.disabled = true;
    stopButton.disabled = false;
    stopButton.onclick = () => controller.abort();
    // one row past the page tells whether there is more; it is not shown
    try {
      await api.stream(apiPath({ ...extra, _limit: size + 1 }), controller.signal, {
        meta: columns => extra || setColumns(columns),
        source: header => { source = header; },
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
