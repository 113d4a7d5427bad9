/** The report's one inline style sheet: screen and print (A4 or Letter, charts never split). */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
  line-height: 1.4; color: #111827; background: #ffffff; margin: 0 auto; max-width: 190mm; padding: 12mm 8mm; }
h1 { font-size: 22pt; margin: 0 0 6mm; }
h2 { font-size: 15pt; margin: 9mm 0 3mm; border-bottom: 1px solid #d1d5db; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; break-after: avoid; }
h4 { font-size: 11.5pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 1.5mm 0; }
.title-page { min-height: 200mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; font-size: 11pt; }
.title-page dt { font-weight: bold; }
.title-page dd { margin: 0; overflow-wrap: anywhere; }
.muted { color: #4b5563; }
nav.contents { margin-top: 10mm; }
nav.contents ol { margin: 0; padding-left: 6mm; }
figure.chart { margin: 4mm 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; max-width: 720px; height: auto; }
figcaption { font-size: 9pt; color: #374151; margin-top: 1mm; }
figcaption b { color: #111827; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }
table.long { break-inside: auto; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.claim, .verdict, .numbers { break-after: avoid; }
table caption { caption-side: top; text-align: left; font-size: 9pt; color: #374151; padding-bottom: 1mm; }
th, td { border: 1px solid #d1d5db; padding: 0.8mm 1.5mm; vertical-align: top; }
th { background: #f3f4f6; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { overflow-wrap: break-word; }
table.params td.text { overflow-wrap: anywhere; }
table.params td:first-child { white-space: nowrap; font-weight: bold; }
.badge { display: inline-block; padding: 0.3mm 2mm; border-radius: 2mm; font-weight: bold; font-size: 9pt; }
.badge.held { background: #dcfce7; color: #166534; border: 1px solid #166534; }
.badge.not-held { background: #fee2e2; color: #991b1b; border: 1px solid #991b1b; }
section.finding, section.run, section.analysis { break-before: auto; }
.claim { font-style: italic; }
ul.notes { font-size: 9pt; color: #374151; }
.numbers { font-size: 9pt; }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  section.run, section.analyses, section.findings { break-before: page; }
}
`;
