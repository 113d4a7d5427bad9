/** HTML building blocks of the report: a captioned chart, a table with numbers for reading. */
import type { ChartSpec, ReportTable } from '../../../shared/api/report.js';
import { esc } from '../escape.js';
import { fmtNumber, fmtPercent } from '../format.js';
import { renderChartSvg } from '../svg/render-chart.js';

/** Numbers the figures of one document. */
export class Figures {
  private n = 0;

  figure(spec: ChartSpec): string {
    this.n++;
    return (
      `<figure class="chart" id="fig-${esc(spec.id)}">${renderChartSvg(spec)}` +
      `<figcaption><b>Figure ${this.n}. ${esc(spec.title)}.</b> ${esc(spec.caption)}</figcaption></figure>`
    );
  }
}

function cell(column: string, v: string | number | null): string {
  if (v === null) return '<td class="num">—</td>';
  if (typeof v === 'number') {
    const text = /relative error|share|fraction/i.test(column) ? fmtPercent(v, 2) : fmtNumber(v);
    return `<td class="num">${esc(text)}</td>`;
  }
  return `<td class="text">${esc(v)}</td>`;
}

/** Rows beyond which a table may run over pages (its header repeats) instead of being kept whole. */
export const LONG_TABLE_ROWS = 30;

export function table(t: ReportTable, cls = ''): string {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((v, i) => cell(t.columns[i] ?? '', v)).join('')}</tr>`)
    .join('\n');
  // A table longer than a page cannot be kept whole: kept whole it would only leave a blank page.
  const classes = [cls, t.rows.length > LONG_TABLE_ROWS ? 'long' : ''].filter((c) => c !== '');
  return (
    `<table id="tab-${esc(t.id)}"${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}>` +
    `<caption>${esc(t.caption)} <span class="muted">(${esc(t.id)}.csv)</span></caption>` +
    `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
  );
}

/** Parameters (vm, parameter, value) as one two-column table per VM. */
export function paramsTables(t: ReportTable): string {
  const groups = new Map<string, [string, string][]>();
  for (const [vm, label, value] of t.rows) {
    const key = String(vm);
    const list = groups.get(key) ?? [];
    list.push([String(label), value === null ? '—' : String(value)]);
    groups.set(key, list);
  }
  const out: string[] = [];
  for (const [vm, rows] of groups) {
    out.push(
      `<table class="params"><caption>${vm.startsWith('(') ? 'Experiment' : `VM ${esc(vm)}`}</caption><tbody>` +
        rows
          .map(([k, v]) => `<tr><td>${esc(k)}</td><td class="text">${esc(v)}</td></tr>`)
          .join('') +
        `</tbody></table>`,
    );
  }
  return out.join('\n');
}
