// The estimate of a template near its budget, shown under its form before it runs.

import * as api from './api.js';
import { el } from './dom.js';
import { DEFAULT_PAGE_SIZE } from './form.js';

/** From this share of a bound on, the estimate is shown: a request far below its budget says nothing. */
const NEAR = 0.5;

/**
 * For a template with a budget: {element, update()}; update() asks _explain=budget for the form's query a
 * moment after the last change and shows PostgreSQL's estimate when it is near the budget or over it
 * (a request over it would be refused: the text says what narrows it). Null for a template without one.
 */
export function budgetEstimate(entry, queryString) {
  if (!entry.budget || Object.keys(entry.budget).length === 0) {
    return null;
  }
  const box = el('p', { id: 'budget', 'aria-live': 'polite', hidden: true });
  let controller = null;
  let timer = null;

  async function ask() {
    controller?.abort();
    controller = new AbortController();
    const query = new URLSearchParams(queryString());
    query.set('_explain', 'budget');
    // the rows a run asks for: the explorer's page size unless the form sets another
    query.set('_limit', query.get('_limit') || String(DEFAULT_PAGE_SIZE));
    try {
      show(await api.getJson('/queries/' + entry.name + '?' + query, controller.signal));
    } catch (error) {
      if (error.name !== 'AbortError') {
        box.hidden = true; // the run that follows tells what is wrong
      }
    }
  }

  function show(decision) {
    const estimate = decision.estimate || {};
    const shares = Object.entries(decision.budget || {})
      .map(([bound, limit]) => ({ bound, estimated: Number(estimate[bound]), limit: Number(limit) }));
    const over = decision.decision === 'refuse';
    box.hidden = !over && !shares.some(share => share.estimated >= NEAR * share.limit);
    if (box.hidden) {
      return;
    }
    const figures = shares.map(share => `${share.bound} ${Math.round(share.estimated).toLocaleString()} of `
      + `${Math.round(share.limit).toLocaleString()} (${Math.round(100 * share.estimated / share.limit)}%)`).join(', ');
    const narrowing = decision.narrowing || { parameters: [], filters: [] };
    const names = [...narrowing.parameters, ...narrowing.filters];
    box.className = over ? 'budget over' : 'budget near';
    box.textContent = over
      ? `Over its budget: PostgreSQL estimates ${figures}, so Run will be refused: ${decision.reason}.`
        + (names.length ? ` Narrow it with ${names.join(', ')}.` : '')
      : `Near its budget: PostgreSQL estimates ${figures}.`;
  }

  return {
    element: box,
    update() {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    },
  };
}
