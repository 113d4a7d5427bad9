/**
 * The HTML report: one self-contained file — inline style, charts as inline SVG, no script and no
 * external resource. A title page, the study's findings (when there is a study), one section per
 * run and the stored allocation and crash analyses. Every text from the data is escaped.
 */
import { esc } from '../escape.js';
import { fmtBytes, fmtCount, fmtNumber } from '../format.js';
import type {
  AllocSection,
  CrashSection,
  FindingSection,
  ReportModel,
  RunSection,
} from '../model.js';
import { Figures, paramsTables, table } from './parts.js';
import { REPORT_CSS } from './style.js';

function titlePage(m: ReportModel): string {
  const { meta } = m.data;
  const mc = meta.machine;
  const rows: [string, string][] = [
    ['Project', `${meta.projectName} (${meta.projectPath})`],
    ['Generated', meta.generatedAt],
    ['HCLab version', meta.hclabVersion],
    [
      'Machine',
      `${mc.cpuModel}, ${mc.cpus} CPUs, ${fmtBytes(mc.memoryBytes)} memory; ${mc.platform} ${mc.arch}; Node ${mc.node}`,
    ],
    ['Runs', m.data.runs.map((r) => `#${r.id} ${r.experimentName}`).join(', ') || 'none'],
    [
      'Analyses',
      `${m.allocs.length} allocation(s), ${m.crashes.length} crash analysis(es)` +
        (m.pending.length > 0 ? `, ${m.pending.length} not finished` : ''),
    ],
  ];
  for (const n of m.data.notes ?? []) rows.push(['Note', n]);
  if (m.data.study !== undefined) {
    const held = m.data.study.findings.filter((f) => f.held).length;
    rows.push([
      'Study',
      `${m.data.study.title}: ${held} of ${m.data.study.findings.length} claims held` +
        `${m.data.study.quick ? ' (quick run)' : ''}, ${fmtNumber(m.data.study.wallSeconds, 3)} s`,
    ]);
  }
  return (
    `<section class="title-page"><h1>${esc(meta.title)}</h1><dl>` +
    rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('') +
    `</dl>${contents(m)}</section>`
  );
}

function contents(m: ReportModel): string {
  const items: string[] = [];
  if (m.findings.length > 0) items.push('<li><a href="#findings">Findings</a></li>');
  for (const r of m.runs)
    items.push(
      `<li><a href="#run-${r.run.id}">Run #${r.run.id}: ${esc(r.run.experimentName)}</a></li>`,
    );
  if (m.allocs.length + m.crashes.length + m.pending.length > 0)
    items.push('<li><a href="#analyses">Stored analyses</a></li>');
  return `<nav class="contents"><h3>Contents</h3><ol>${items.join('')}</ol></nav>`;
}

function findingSection(f: FindingSection, figs: Figures): string {
  const x = f.finding;
  const badge = x.held
    ? '<span class="badge held">HELD</span>'
    : '<span class="badge not-held">DID NOT HOLD</span>';
  const numbers = Object.entries(x.numbers)
    .map(([k, v]) => `${esc(k)} = ${esc(fmtNumber(v))}`)
    .join('; ');
  return (
    `<section class="finding" id="finding-${x.section}-${esc(x.id)}">` +
    `<h3>${x.section}. ${esc(x.title)} ${badge}</h3>` +
    `<p class="claim">Claim: ${esc(x.claim)}</p>` +
    `<p class="verdict"><b>Verdict</b> (computed from the numbers below): ${esc(x.verdict)}</p>` +
    (numbers ? `<p class="numbers muted">${numbers}</p>` : '') +
    f.tables.map((t) => table(t)).join('\n') +
    f.charts.map((c) => figs.figure(c)).join('\n') +
    (x.notes.length > 0
      ? `<ul class="notes">${x.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '') +
    `</section>`
  );
}

function runSection(r: RunSection, figs: Figures): string {
  const run = r.run;
  const out: string[] = [
    `<section class="run" id="run-${run.id}">`,
    `<h2>Run #${run.id}: ${esc(run.experimentName)}</h2>`,
    `<p class="muted">${esc(run.state)}, ${run.stepsDone}/${run.stepsTotal} VM(s), started ${esc(run.createdAt)}${run.error ? `; error: ${esc(run.error)}` : ''}</p>`,
    `<h3>Parameters</h3>`,
    paramsTables(r.params),
    `<h3>Miss ratio curves</h3>`,
    ...r.mrcCharts.map((c) => figs.figure(c)),
    `<h3>Error of each method</h3>`,
    table(r.errors),
  ];
  if (r.esxCharts.length > 0 || r.esxScore !== null) {
    out.push(`<h3>ESX sampling</h3>`);
    out.push(...r.esxCharts.map((c) => figs.figure(c)));
    if (r.esxScore !== null) out.push(table(r.esxScore));
  }
  out.push(`<h3>Simulation statistics</h3>`, table(r.stats), `</section>`);
  return out.join('\n');
}

function allocSection(a: AllocSection, figs: Figures): string {
  const rep = a.analysis.report;
  const notes = [...(rep.reason ? [`Infeasible: ${rep.reason}`] : []), ...rep.notes];
  return (
    `<section class="analysis" id="alloc-${a.analysis.id}">` +
    `<h4>Allocation #${a.analysis.id}: ${esc(a.analysis.title)}</h4>` +
    `<p class="muted">Host memory M = ${esc(fmtCount(rep.memory))} pages, quantum ${esc(fmtCount(rep.quantum))}, τ = ${esc(fmtNumber(rep.tau))}, sources ${esc(rep.results.map((x) => x.source).join(', '))}; computed ${esc(a.analysis.createdAt)} by HCLab ${esc(a.analysis.hclabVersion)}.</p>` +
    table(a.table) +
    figs.figure(a.chart) +
    (a.online === null ? '' : table(a.online)) +
    (rep.adaptive === undefined
      ? ''
      : `<p>Adaptive re-allocation: ${esc(fmtCount(rep.adaptive.epochs.length))} epochs (${esc(rep.adaptive.mode)}), ${esc(fmtCount(rep.adaptive.totalMisses))} misses in total.</p>`) +
    (notes.length > 0
      ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '') +
    `</section>`
  );
}

function crashSection(c: CrashSection, figs: Figures): string {
  const a = c.analysis;
  const assumptions = a.report?.assumptions ?? [];
  return (
    `<section class="analysis" id="crash-${a.id}">` +
    `<h4>Crash analysis #${a.id}: ${esc(a.title)}</h4>` +
    `<p class="muted">VM ${esc(a.vm.name)} (V ${esc(fmtCount(a.vm.guestPages))}, C ${esc(fmtCount(a.vm.hvPages))} pages, ${esc(a.vm.writeback.mode)} writeback); strategies ${esc(a.params.strategies.join(', '))}; hv-log flush every ${esc(fmtNumber(a.params.logFlushMs))} ms; computed ${esc(a.createdAt)} by HCLab ${esc(a.hclabVersion)}.</p>` +
    (c.table === null ? '' : table(c.table)) +
    (c.loss === null ? '' : figs.figure(c.loss)) +
    (c.timeline === null ? '' : figs.figure(c.timeline)) +
    (assumptions.length > 0
      ? `<ul class="notes">${assumptions.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '') +
    `</section>`
  );
}

export function renderReportHtml(m: ReportModel): string {
  const figs = new Figures();
  const body: string[] = [titlePage(m)];
  if (m.findings.length > 0) {
    body.push(
      `<section class="findings" id="findings"><h2>Findings</h2>`,
      ...m.findings.map((f) => findingSection(f, figs)),
      `</section>`,
    );
  }
  body.push(...m.runs.map((r) => runSection(r, figs)));
  if (m.runs.length === 0) body.push('<p>No runs in this report.</p>');
  if (m.allocs.length + m.crashes.length + m.pending.length > 0) {
    body.push(`<section class="analyses" id="analyses"><h2>Stored analyses</h2>`);
    if (m.allocs.length > 0) body.push('<h3>Allocations</h3>');
    body.push(...m.allocs.map((a) => allocSection(a, figs)));
    if (m.crashes.length > 0) body.push('<h3>Crash recovery</h3>');
    body.push(...m.crashes.map((c) => crashSection(c, figs)));
    if (m.pending.length > 0)
      body.push(
        `<p>Not finished (not shown): ${m.pending.map((a) => `#${a.id} ${esc(a.kind)} ${esc(a.title)} (${esc(a.state)})`).join('; ')}</p>`,
      );
    body.push('</section>');
  }
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(m.data.meta.title)}</title><style>${REPORT_CSS}</style></head>\n<body>\n` +
    body.join('\n') +
    `\n</body></html>\n`
  );
}
