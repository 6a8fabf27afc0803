// The catalog at /: every template the caller may run, searchable by its words (?q= in the address).

import { el } from './dom.js';
import { defaultText } from './form.js';

export function showCatalog(main, entries) {
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
    entry.tenant ? el('p', { class: 'notice' }, entry.tenant.value === null ? 'One tenant\'s rows: needs a tenant in your token'
      : 'Rows of tenant ' + entry.tenant.claim + ' = ' + entry.tenant.value) : null,
    entry.description ? el('p', { class: 'muted' }, entry.description) : null,
    entry.parameters.length === 0 ? null : el('ul', { class: 'chips', 'aria-label': 'Parameters of ' + entry.name },
      entry.parameters.map(p => el('li', {}, el('code', {}, p.name), ' ', p.type,
        p.defaultValue === null ? (p.required ? '' : ' (optional)') : ' = ' + defaultText(p)))));
}
