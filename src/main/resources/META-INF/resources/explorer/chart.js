// The chart of a result: ECharts, from the path the service names in the page (its version included),
// loaded on first use.

import { isNumeric, isTime } from './columns.js';
import { el } from './dom.js';

const CHART_LIBRARY = document.querySelector('meta[name="quarry-chart-library"]').content;

// ECharts' SVG renderer writes each text's font, and its root's position, as a style attribute, which
// the page's Content-Security-Policy refuses (no inline style); the same declarations set through the
// element's CSSOM are allowed. The page draws no SVG of its own, so for SVG elements only, a style
// attribute is applied that way.
const setAttribute = Element.prototype.setAttribute;
SVGElement.prototype.setAttribute = function (name, value) {
  if (name === 'style') {
    this.style.cssText = value;
  } else {
    setAttribute.call(this, name, value);
  }
};

/**
 * A line over a date column, or bars over categories, of the numeric columns the person picks;
 * "split by" draws one series per value of another column (a line per nation over the months).
 */
export function chartPanel(keyColumns) {
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

  const isTimeAxis = name => isTime(data.columns.find(column => column.name === name));
  const checkedYs = () => [...yChoices.querySelectorAll('input:checked')].map(box => box.value);
  const saved = () => new URLSearchParams(location.hash.slice(1));
  // the choices go into the fragment: the query string is the API's, the fragment the page's own
  const remember = () => {
    history.replaceState(null, '', location.pathname + location.search + '#' + new URLSearchParams(
      { x: xSelect.value, y: checkedYs().join(','), split: splitSelect.value, kind: kindSelect.value }));
    render();
  };
  xSelect.addEventListener('change', () => {
    kindSelect.value = isTimeAxis(xSelect.value) ? 'line' : 'bar';
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
    if (isTimeAxis(x)) {
      const order = labels.map((text, i) => i).sort((a, b) => labels[a].localeCompare(labels[b]));
      labels = order.map(i => labels[i]);
      series.forEach(line => { line.values = order.map(i => line.values[i]); });
    }
    const echarts = await import(CHART_LIBRARY);
    instance = instance || echarts.init(canvas, null, { renderer: 'svg' });
    canvas.setAttribute('aria-label', `${kindSelect.value === 'line' ? 'Line' : 'Bar'} chart of ${ys.join(', ') || 'nothing'} by ${x}`
      + (split ? `, one series per ${split}` : ''));
    instance.setOption({
      animation: false,
      grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      // drawn in the chart: the HTML tooltip's markup carries style attributes, which the policy refuses
      tooltip: { trigger: 'axis', renderMode: 'richText' },
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
      const numeric = columns.filter(isNumeric).map(column => column.name);
      const other = columns.filter(column => !isNumeric(column)).map(column => column.name);
      if (rows.length === 0 || numeric.length === 0 || other.length === 0) {
        element.hidden = true;
        return;
      }
      const axes = other.length > 1 ? [...other, other.join(' · ')] : other;
      const chosen = saved();
      const x = axes.includes(chosen.get('x')) ? chosen.get('x') : other.find(name => isTimeAxis(name)) || axes[axes.length - 1];
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
      kindSelect.value = ['bar', 'line'].includes(chosen.get('kind')) ? chosen.get('kind') : isTimeAxis(x) ? 'line' : 'bar';
      element.hidden = false;
      render();
    },
  };
}
