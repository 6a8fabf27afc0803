// The explorer: the catalog at /, and at /explore/{template}?{query} the page of one template, whose
// query string is exactly the one /queries/{template} takes, so the address bar is a shareable link.
// Chart choices, which the API knows nothing of, live in the fragment (#x=...&y=...&split=...&kind=...).
// This module picks the view and asks for a token; catalog.js, form.js, results.js and chart.js draw,
// api.js does the talking to Quarry.

import * as api from './api.js';
import { budgetEstimate } from './budget.js';
import { showCatalog } from './catalog.js';
import { el } from './dom.js';
import { queryForm } from './form.js';
import { problemBox } from './problems.js';
import { resultsPanel } from './results.js';

const main = document.getElementById('main');
let catalog = null;

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
      showCatalog(main, await loadCatalog());
    }
  } catch (error) {
    if (error.problem && error.problem.status === 401) {
      askForToken(error.problem);
    } else {
      main.replaceChildren(problemBox(error.problem || { title: 'Error', detail: error.message }));
    }
  }
}

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

/** One template: its heading, its form and its results; submitting the form updates the address and runs. */
async function showTemplate(name) {
  const entry = (await loadCatalog()).find(candidate => candidate.name === name);
  if (!entry) {
    main.replaceChildren(el('h1', {}, name), problemBox({ status: 404, title: 'Unknown template',
      detail: `There is no template named “${name}”${api.token() ? ' that your token may run' : ''}.` }));
    return;
  }
  const { form, runButton, stopButton, queryString, fillForm } = queryForm(entry);
  const results = resultsPanel(entry, form, { runButton, stopButton }, askForToken);
  const estimate = budgetEstimate(entry, queryString);
  if (estimate) {
    form.addEventListener('input', estimate.update);
    form.addEventListener('change', estimate.update);
  }
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
    estimate?.update();
    results.run();
  };

  main.replaceChildren(...[
    el('nav', { class: 'crumbs' }, el('a', { href: '/' }, '← All templates')),
    el('h1', {}, entry.name, ' ', el('span', { class: 'summary' }, entry.summary)),
    entry.description ? el('p', { class: 'muted' }, entry.description) : null,
    entry.tenant ? tenantNotice(entry.tenant) : null,
    form, estimate?.element, results.element].filter(Boolean));
  fillForm();
  estimate?.update();
  results.run();
}

/** Whose rows a tenant's template shows: the caller's tenant, from its token's claim, or why it has none. */
function tenantNotice(tenant) {
  if (tenant.value === null) {
    return el('p', { class: 'error', id: 'tenant' }, tenant.claim === null
      ? 'This template shows one tenant\'s rows, and tenancy is not configured: it does not run.'
      : 'This template shows one tenant\'s rows, and your token names no tenant in its "' + tenant.claim + '" claim.');
  }
  return el('p', { class: 'notice', id: 'tenant' }, 'Rows of tenant ', el('code', {}, tenant.claim + ' = ' + tenant.value),
    ' only, from your token.');
}

show();
