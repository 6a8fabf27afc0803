// A problem (RFC 9457, as api.js hands it over) told in words: never raw JSON.

import { el } from './dom.js';

/**
 * The problem's detail, then its allowed values unless the detail already names them (a value
 * outside an `in` list is told "must be one of A, B, got 'X'"): each thing said once.
 */
export function problemText(problem) {
  const detail = problem.detail || '';
  const allowed = problem.allowed && problem.allowed.length ? problem.allowed.join(', ') : '';
  return allowed && !detail.includes(allowed) ? [detail, `Allowed: ${allowed}.`].filter(Boolean).join(' ') : detail;
}

export function problemBox(problem, rowsSoFar, action) {
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
