/** The SVG chart renderer: points land where the scales put them, null is a gap, markers drawn. */
import { describe, expect, it } from 'vitest';
import { ChartSpecSchema, type ChartSpecInput } from '../../shared/api/report.js';
import { layoutChart } from '../../main/report/svg/layout.js';
import { renderChartSvg } from '../../main/report/svg/render-chart.js';
import { logTicks, niceTicks } from '../../main/report/svg/ticks.js';

const spec = (s: ChartSpecInput) => ChartSpecSchema.parse(s);

/** The plot-area rect of an SVG. */
function plotArea(svg: string): { x: number; y: number; w: number; h: number } {
  const m =
    /<rect class="plot-area" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(
      svg,
    );
  if (m === null) throw new Error('no plot area');
  return { x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) };
}

/** The path data of series i, as lists of [x, y] (one list per M…L… piece). */
function seriesPieces(svg: string, i: number): [number, number][][] {
  const g = new RegExp(`<g class="series" data-series="${i}">(.*?)</g>`).exec(svg);
  if (g === null) throw new Error(`no series ${i}`);
  return [...g[1].matchAll(/ d="([^"]+)"/g)].map((m) =>
    [...m[1].matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]),
  );
}

describe('renderChartSvg', () => {
  const line = spec({
    id: 'c1',
    kind: 'line',
    title: 'A <title> & more',
    caption: '',
    xLabel: 'size (pages)',
    yLabel: 'miss ratio',
    yMin: 0,
    yMax: 1,
    series: [
      {
        label: 'a',
        points: [
          [0, 1],
          [50, 0.5],
          [100, 0],
        ],
      },
      {
        label: 'b',
        points: [
          [0, 0.8],
          [25, 0.6],
          [50, null],
          [75, 0.2],
          [100, 0.1],
        ],
      },
    ],
    markers: [
      { x: 25, label: 'V' },
      { x: 75, label: 'V + C' },
    ],
  });

  it('puts each point at its place inside the plot area', () => {
    const svg = renderChartSvg(line);
    const p = plotArea(svg);
    const [a] = seriesPieces(svg, 0);
    // x 0…100 spans the plot's width, y 0…1 its height (upwards).
    expect(a).toEqual(
      [
        [p.x, p.y],
        [p.x + p.w / 2, p.y + p.h / 2],
        [p.x + p.w, p.y + p.h],
      ].map(([x, y]) => [Number(x.toFixed(2)), Number(y.toFixed(2))]) as [number, number][],
    );
    for (const piece of [...seriesPieces(svg, 0), ...seriesPieces(svg, 1)])
      for (const [x, y] of piece) {
        expect(x).toBeGreaterThanOrEqual(p.x);
        expect(x).toBeLessThanOrEqual(p.x + p.w);
        expect(y).toBeGreaterThanOrEqual(p.y);
        expect(y).toBeLessThanOrEqual(p.y + p.h);
      }
  });

  it('a null leaves a gap: two pieces, neither crossing it', () => {
    const pieces = seriesPieces(renderChartSvg(line), 1);
    expect(pieces.map((x) => x.length)).toEqual([2, 2]);
    const L = layoutChart(line);
    expect(pieces[0][1][0]).toBeCloseTo(L.sx(25), 1);
    expect(pieces[1][0][0]).toBeCloseTo(L.sx(75), 1);
    expect(pieces[1][0][1]).toBeCloseTo(L.sy(0.2), 1);
  });

  it('draws the markers at their x with their labels, axis titles, legend; escapes text', () => {
    const svg = renderChartSvg(line);
    const L = layoutChart(line);
    const marks = [
      ...svg.matchAll(/<g class="marker"><line x1="([\d.]+)".*?>([^<]*)<\/text><\/g>/g),
    ];
    expect(marks.map((m) => [Number(m[1]), m[2]])).toEqual([
      [Number(L.sx(25).toFixed(2)), 'V'],
      [Number(L.sx(75).toFixed(2)), 'V + C'],
    ]);
    expect(svg).toContain('>size (pages)</text>');
    expect(svg).toContain('>miss ratio</text>');
    expect(svg.match(/class="legend-item"/g)).toHaveLength(2);
    expect(svg).toContain('A &lt;title&gt; &amp; more');
    expect(svg).not.toContain('<title> &');
    expect(svg).not.toContain('xmlns');
    expect(renderChartSvg(line, { standalone: true })).toMatch(
      /^<\?xml[^>]*>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
  });

  it('log axes place decades evenly and leave out x ≤ 0', () => {
    const s = spec({
      id: 'log',
      kind: 'line',
      title: 't',
      caption: '',
      xLabel: 'x',
      yLabel: 'y',
      xLog: true,
      series: [
        {
          label: 'a',
          points: [
            [0, 5],
            [1, 1],
            [10, 2],
            [100, 3],
          ],
        },
      ],
    });
    const L = layoutChart(s);
    const [piece] = seriesPieces(renderChartSvg(s), 0);
    expect(piece).toHaveLength(3);
    expect(piece[1][0] - piece[0][0]).toBeCloseTo(piece[2][0] - piece[1][0], 1);
    expect(piece[0][0]).toBeCloseTo(L.plot.x, 1);
    expect(piece[2][0]).toBeCloseTo(L.plot.x + L.plot.width, 1);
  });

  it('bars: one rect per value from zero, error bars of the given half-width', () => {
    const s = spec({
      id: 'bars',
      kind: 'bar',
      title: 't',
      caption: '',
      xLabel: 'strategy',
      yLabel: 'pages',
      categories: ['a', 'b', 'c'],
      series: [
        {
          label: 'mean',
          points: [
            [0, 10],
            [1, 20],
            [2, null],
          ],
          errors: [2, 5, null],
        },
      ],
    });
    const svg = renderChartSvg(s);
    const L = layoutChart(s);
    const rects = [...svg.matchAll(/<g class="series" data-series="0">(.*?)<\/g>/g)][0][1];
    const bars = [
      ...rects.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g),
    ];
    expect(bars).toHaveLength(2);
    const zero = L.sy(0);
    expect(Number(bars[1][1])).toBeCloseTo(L.sy(20), 1);
    expect(Number(bars[1][1]) + Number(bars[1][2])).toBeCloseTo(zero, 1);
    const err = [...svg.matchAll(/class="error-bar" d="M([\d.]+) ([\d.]+)V([\d.]+)/g)];
    expect(err).toHaveLength(2);
    expect(Number(err[1][2])).toBeCloseTo(L.sy(15), 1);
    expect(Number(err[1][3])).toBeCloseTo(L.sy(25), 1);
    expect(svg).toContain('>strategy</text>');
  });
});

describe('ticks', () => {
  it('nice linear ticks cover the range in 1/2/2.5/5 steps', () => {
    expect(niceTicks(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks(3, 97);
    expect(t.min).toBeLessThanOrEqual(3);
    expect(t.max).toBeGreaterThanOrEqual(97);
    expect([10, 20, 25, 50]).toContain(t.step);
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(1);
  });

  it('log ticks are 1-2-5 per decade', () => {
    expect(logTicks(3, 80).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 1e6).ticks).toEqual([1, 10, 100, 1000, 10000, 100000, 1000000]);
  });

  it('puts the x-axis title below slanted category names, however long they are', () => {
    const bars = (categories: string[]) =>
      spec({
        id: 'b',
        kind: 'bar',
        title: 't',
        caption: 'c',
        xLabel: 'VM',
        yLabel: 'y',
        categories,
        series: [{ label: 's', points: categories.map((_, i) => [i, i + 1]) }],
      });
    const short = layoutChart(bars(['a', 'b']));
    expect(short.rotateCategories).toBe(false);
    const names = Array.from({ length: 11 }, (_, i) => `tpcc-admit-fail-${i}0`);
    const long = layoutChart(bars(names));
    expect(long.rotateCategories).toBe(true);
    const bottom = long.plot.y + long.plot.height;
    // The slanted name's lowest point: its width times sin 25° below its anchor.
    const lowest = bottom + 12 + names[0].length * 11 * 0.6 * Math.sin((25 * Math.PI) / 180);
    expect(long.xTitleY).toBeGreaterThan(lowest + 8);
    expect(long.legend[0].y).toBeGreaterThan(long.xTitleY);
    const svg = renderChartSvg(bars(names));
    const title = /<text class="x-title" x="[\d.]+" y="([\d.]+)"/.exec(svg);
    expect(Number(title?.[1])).toBeCloseTo(long.xTitleY, 1);
    expect(long.xTitleY).toBeGreaterThan(short.xTitleY);
  });
});
