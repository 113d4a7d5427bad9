/**
 * Workload presets standing in for the workloads of Lu & Shen (USENIX ATC 2007) and Pin Lu's
 * thesis proposal. Every preset is scaled by its footprint `pages` (ids 0..pages-1, 4 KiB pages
 * assumed) and the seed; the number of references is the caller's. Region sizes are shares of
 * `pages` (at least one page each while pages allow).
 */
import type { PresetName } from '../../../shared/schema/workload.js';
import type { Rng } from '../util/rng.js';
import { READ_ONLY, type OpModel } from './decorate.js';
import { leaf, nodeRng, type BuildContext } from './context.js';
import { ExtentSource, type Extents } from './extents.js';
import { HotColdSource } from './hot-cold.js';
import { LoopSource } from './loop.js';
import { MixSource } from './mix.js';
import { ScanSource } from './scan.js';
import type { RefSource } from './source.js';
import { UniformSource } from './uniform.js';
import { ZipfSampler, ZipfSource, randomPermutation } from './zipf.js';

export interface Preset {
  name: PresetName;
  title: string;
  /** Why it resembles the original workload. */
  rationale: string;
  /** The parameters, as shares of the footprint. */
  parameters: string;
  /** The parameters worked out for a footprint. */
  describe(pages: number): string;
  build(pages: number, ctx: BuildContext): RefSource;
}

/** Sequential appends and log writes fill whole pages: a miss does not read the page first. */
const WRITES: OpModel = { writeFraction: 1, fsyncRate: 0, fullPageWrites: true };
const FSYNC_WRITES: OpModel = { writeFraction: 1, fsyncRate: 1, fullPageWrites: true };

/** Splits `pages` into regions by shares: every region but the last gets round(share·pages)
 * (at least 1 when pages allow), the last one the rest (possibly 0 for tiny footprints). */
function regions(pages: number, shares: readonly number[]): number[] {
  const out: number[] = [];
  let left = pages;
  for (let i = 0; i < shares.length - 1; i++) {
    const want = Math.max(1, Math.round(shares[i] * pages));
    const size = Math.min(want, Math.max(0, left - 1));
    out.push(size);
    left -= size;
  }
  out.push(left);
  return out;
}

function mixOf(ctx: BuildContext, parts: [RefSource, number][]): RefSource {
  if (parts.length === 1) return parts[0][0];
  return new MixSource(
    parts.map((p) => p[0]),
    parts.map((p) => p[1]),
    nodeRng(ctx, 'mix'),
  );
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** Standard normal deviate (Box–Muller). */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

// ---- specweb ---------------------------------------------------------------------------------

/** SPECweb99 file set: 4 classes × 9 files per directory; file i of class c is i·unit_c bytes. */
const SPECWEB_CLASS_UNIT = [102.4, 1024, 10240, 102400];
const SPECWEB_CLASS_SHARE = [0.35, 0.5, 0.14, 0.01];
/** Popularity of files 1..9 within a class (%), as in the SPECweb99 file access distribution. */
const SPECWEB_FILE_SHARE = [3.9, 5.9, 8.8, 17.7, 35.3, 11.8, 7.1, 5.0, 4.4];
const SPECWEB_FILE_SUM = SPECWEB_FILE_SHARE.reduce((a, b) => a + b, 0);
const SPECWEB_DIR_PAGES = SPECWEB_CLASS_UNIT.reduce(
  (sum, unit) =>
    sum + [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((s, i) => s + Math.ceil((i * unit) / 4096), 0),
  0,
);
/** Share of requests that are POSTs appending to the post log. */
const SPECWEB_POST_SHARE = 0.048;

function specwebFiles(filePages: number): Extents {
  const starts: number[] = [];
  const lengths: number[] = [];
  const weights: number[] = [];
  const dirs = Math.ceil(filePages / SPECWEB_DIR_PAGES);
  let cursor = 0;
  for (let d = 0; d < dirs; d++)
    for (let c = 0; c < 4; c++)
      for (let i = 1; i <= 9; i++) {
        if (cursor >= filePages) break;
        const len = Math.min(Math.ceil((i * SPECWEB_CLASS_UNIT[c]) / 4096), filePages - cursor);
        starts.push(cursor);
        lengths.push(len);
        weights.push(
          (1 / (d + 1)) * SPECWEB_CLASS_SHARE[c] * (SPECWEB_FILE_SHARE[i - 1] / SPECWEB_FILE_SUM),
        );
        cursor += len;
      }
  return {
    starts: Int32Array.from(starts),
    lengths: Int32Array.from(lengths),
    weights: Float64Array.from(weights),
  };
}

const specweb: Preset = {
  name: 'specweb',
  title: 'SPECweb99-like web file serving',
  rationale:
    'SPECweb99 serves a file set of directories, each of 36 files in 4 size classes (0.1–0.9 KB, ' +
    '1–9 KB, 10–90 KB, 100–900 KB) requested 35/50/14/1% by class, with a fixed Zipf-like ' +
    'popularity within a class and Zipf(1) popularity across directories; every request reads a ' +
    'whole file sequentially, and about 5% of requests are POSTs appending to a log: read-mostly, ' +
    'with a heavy-tailed file popularity, like the paper’s SPECweb99 workload.',
  parameters:
    'post log: 1% of pages (sequential appends, full-page writes, no fsync); files: the rest, laid out as ' +
    `SPECweb99 directories of ${SPECWEB_DIR_PAGES} pages (the last one truncated); per request: ` +
    `a whole file with probability ${pct(1 - SPECWEB_POST_SHARE)}, one log page otherwise.`,
  describe(pages) {
    const [log, files] = regions(pages, [0.01, 0]);
    const ext = specwebFiles(files);
    return `${ext.starts.length} files in ${Math.ceil(files / SPECWEB_DIR_PAGES)} directories over ${files} pages, post log ${log} pages`;
  },
  build(pages, ctx) {
    const [log, files] = regions(pages, [0.01, 0]);
    const parts: [RefSource, number][] = [
      [
        leaf(
          ctx,
          'files',
          new ExtentSource(specwebFiles(files), nodeRng(ctx, 'files')),
          READ_ONLY,
          log,
        ),
        1 - SPECWEB_POST_SHARE,
      ],
    ];
    if (log > 0) parts.push([leaf(ctx, 'log', new LoopSource(log), WRITES), SPECWEB_POST_SHARE]);
    return mixOf(ctx, parts);
  },
};

// ---- index-search ----------------------------------------------------------------------------

const INDEX_SHARE = 0.1;
const INDEX_ALPHA = 1.0;
const POSTING_ALPHA = 0.8;
const POSTING_MEDIAN = 4;
const POSTING_SIGMA = 1.2;
const POSTING_MAX = 256;
/** Share of requests that are index page look-ups (the rest read a whole posting list). */
const INDEX_REQUEST_SHARE = 0.7;

function postingLists(pages: number, rng: Rng, permRng: Rng): Extents {
  const lengths: number[] = [];
  for (let used = 0; used < pages;) {
    const want = Math.round(POSTING_MEDIAN * Math.exp(POSTING_SIGMA * gaussian(rng)));
    const len = Math.min(Math.max(1, Math.min(POSTING_MAX, want)), pages - used);
    lengths.push(len);
    used += len;
  }
  const n = lengths.length;
  const starts = new Int32Array(n);
  for (let i = 1; i < n; i++) starts[i] = starts[i - 1] + lengths[i - 1];
  // Popularity rank of each list is independent of its place and length.
  const perm = randomPermutation(n, permRng);
  const weights = new Float64Array(n);
  for (let r = 0; r < n; r++) weights[perm[r]] = Math.pow(r + 1, -POSTING_ALPHA);
  return { starts, lengths: Int32Array.from(lengths), weights };
}

const indexSearch: Preset = {
  name: 'index-search',
  title: 'Index searching',
  rationale:
    'A search engine answers a query by looking up each term in the index (small, very hot, ' +
    'Zipf-popular pages: dictionary and B-tree nodes) and then reading the term’s posting list ' +
    'sequentially; query terms are Zipf-popular and posting lists have heavy-tailed lengths. ' +
    'Read-only, with a hot index and a long tail of large sequential reads, like the paper’s ' +
    'index searching workload.',
  parameters:
    `index: ${pct(INDEX_SHARE)} of pages, Zipf(${INDEX_ALPHA}) with scattered ranks; posting ` +
    `lists: the rest, lengths log-normal (median ${POSTING_MEDIAN} pages, σ = ${POSTING_SIGMA}, ` +
    `at most ${POSTING_MAX}), list popularity Zipf(${POSTING_ALPHA}) in random order; per ` +
    `request: one index page with probability ${pct(INDEX_REQUEST_SHARE)}, a whole posting ` +
    'list otherwise; read-only.',
  describe(pages) {
    const [index, postings] = regions(pages, [INDEX_SHARE, 1 - INDEX_SHARE]);
    return `index ${index} pages, posting lists ${postings} pages`;
  },
  build(pages, ctx) {
    const [index, postings] = regions(pages, [INDEX_SHARE, 1 - INDEX_SHARE]);
    const parts: [RefSource, number][] = [];
    if (index > 0) {
      const src = new ZipfSource(
        new ZipfSampler(index, INDEX_ALPHA, nodeRng(ctx, 'index')),
        randomPermutation(index, nodeRng(ctx, 'index/scatter')),
      );
      parts.push([leaf(ctx, 'index', src), INDEX_REQUEST_SHARE]);
    }
    if (postings > 0) {
      const lists = postingLists(postings, nodeRng(ctx, 'lists'), nodeRng(ctx, 'lists/rank'));
      const src = new ExtentSource(lists, nodeRng(ctx, 'postings'));
      parts.push([leaf(ctx, 'postings', src, READ_ONLY, index), 1 - INDEX_REQUEST_SHARE]);
    }
    return mixOf(ctx, parts);
  },
};

// ---- tpcc ------------------------------------------------------------------------------------

const TPCC_LOG_SHARE = 0.01;
const TPCC_APPEND_SHARE = 0.09;
const TPCC_HOT_SHARE = 0.1;
const TPCC_HOT_FRACTION = 0.8;
const TPCC_DATA_WRITES = 0.3;
const TPCC_REQUESTS = { data: 0.88, append: 0.06, commit: 0.06 };

const tpcc: Preset = {
  name: 'tpcc',
  title: 'TPC-C-like OLTP',
  rationale:
    'TPC-C transactions read and update rows of a database whose accesses are skewed (NURand ' +
    'keys, hot warehouse/district/stock rows), insert new orders and order lines at the end of ' +
    'growing tables, and commit by forcing the log to disk. Random skewed page accesses with ' +
    'about 38% writes, sequential appends and an fsync’d log write per ~17 references resemble ' +
    'the paper’s TPC-C workload and exercise delayed-write crash loss.',
  parameters:
    `log: ${pct(TPCC_LOG_SHARE)} of pages (sequential full-page writes, every one fsync'd); ` +
    `appends: ${pct(TPCC_APPEND_SHARE)} (sequential full-page writes, wrapping); data: the rest, hot/cold with ` +
    `${pct(TPCC_HOT_SHARE)} of data pages hot getting ${pct(TPCC_HOT_FRACTION)} of data ` +
    `references, ${pct(TPCC_DATA_WRITES)} of them writes; per request: data ` +
    `${pct(TPCC_REQUESTS.data)}, append ${pct(TPCC_REQUESTS.append)}, commit ` +
    `${pct(TPCC_REQUESTS.commit)} (overall ≈ 38% writes, ≈ 16% of writes fsync'd).`,
  describe(pages) {
    const { log, append, data, hot, cold } = tpccLayout(pages);
    return `data ${data} pages (hot ${hot}, cold ${cold}), appends ${append} pages, log ${log} pages`;
  },
  build(pages, ctx) {
    const { log, append, data, hot, cold } = tpccLayout(pages);
    const parts: [RefSource, number][] = [];
    if (data > 0) {
      const src =
        hot > 0 && cold > 0
          ? new HotColdSource(hot, cold, TPCC_HOT_FRACTION, nodeRng(ctx, 'data'))
          : new UniformSource(data, nodeRng(ctx, 'data'));
      const ops = { writeFraction: TPCC_DATA_WRITES, fsyncRate: 0 };
      parts.push([leaf(ctx, 'data', src, ops, log + append), TPCC_REQUESTS.data]);
    }
    if (append > 0)
      parts.push([leaf(ctx, 'append', new LoopSource(append), WRITES, log), TPCC_REQUESTS.append]);
    if (log > 0)
      parts.push([leaf(ctx, 'log', new LoopSource(log), FSYNC_WRITES), TPCC_REQUESTS.commit]);
    return mixOf(ctx, parts);
  },
};

function tpccLayout(pages: number) {
  const [log, append, data] = regions(pages, [TPCC_LOG_SHARE, TPCC_APPEND_SHARE, 0]);
  const [hot, cold] = regions(data, [TPCC_HOT_SHARE, 0]);
  return { log, append, data, hot, cold };
}

// ---- tpch ------------------------------------------------------------------------------------

const TPCH_HOT_SHARE = 0.05;
const TPCH_HOT_ALPHA = 0.8;
/** Table shares of the scanned pages and how many of the 22 queries scan each. */
const TPCH_TABLES = [
  { name: 'lineitem', share: 0.7, queries: 16 },
  { name: 'orders', share: 0.17, queries: 12 },
  { name: 'partsupp', share: 0.08, queries: 5 },
  { name: 'part', share: 0.03, queries: 8 },
  { name: 'customer', share: 0.02, queries: 8 },
];
const TPCH_BURST = 16;
/** Share of requests that are hot-set references (the rest are 16-page scan bursts). */
const TPCH_HOT_REQUESTS = 0.6;

function tpchTables(pages: number): Extents {
  const sizes = regions(
    pages,
    TPCH_TABLES.map((t) => t.share),
  );
  const starts: number[] = [];
  const lengths: number[] = [];
  const weights: number[] = [];
  let cursor = 0;
  sizes.forEach((size, i) => {
    if (size > 0) {
      starts.push(cursor);
      lengths.push(size);
      weights.push(TPCH_TABLES[i].queries);
    }
    cursor += size;
  });
  return {
    starts: Int32Array.from(starts),
    lengths: Int32Array.from(lengths),
    weights: Float64Array.from(weights),
  };
}

const tpch: Preset = {
  name: 'tpch',
  title: 'TPC-H-like decision support',
  rationale:
    'TPC-H queries scan large tables (lineitem, orders, …) from end to end while probing small, ' +
    'hot structures (the small nation/region/supplier tables, index roots, hash-join build ' +
    'sides). Long sequential scans that no cache of less than the table can hold, plus a small ' +
    'hot set, reproduce the paper’s TPC-H behaviour: a flat MRC until the table fits.',
  parameters:
    `hot set: ${pct(TPCH_HOT_SHARE)} of pages, Zipf(${TPCH_HOT_ALPHA}); tables: the rest, ` +
    TPCH_TABLES.map((t) => `${t.name} ${pct(t.share)}`).join(', ') +
    `; a scan reads a whole table (chosen by how many of the 22 queries scan it: ` +
    TPCH_TABLES.map((t) => t.queries).join('/') +
    `) in ${TPCH_BURST}-page bursts; per request: one hot page with probability ` +
    `${pct(TPCH_HOT_REQUESTS)}, a scan burst otherwise (≈ 9% of references hot); read-only.`,
  describe(pages) {
    const [hot, tables] = regions(pages, [TPCH_HOT_SHARE, 0]);
    const ext = tpchTables(tables);
    return `hot set ${hot} pages, tables ${Array.from(ext.lengths).join(' + ')} pages`;
  },
  build(pages, ctx) {
    const [hot, tables] = regions(pages, [TPCH_HOT_SHARE, 0]);
    const parts: [RefSource, number][] = [];
    if (hot > 0) {
      const src = new ZipfSource(new ZipfSampler(hot, TPCH_HOT_ALPHA, nodeRng(ctx, 'hot')));
      parts.push([leaf(ctx, 'hot', src), TPCH_HOT_REQUESTS]);
    }
    if (tables > 0) {
      const scan = new ExtentSource(tpchTables(tables), nodeRng(ctx, 'tables'), TPCH_BURST);
      parts.push([leaf(ctx, 'tables', scan, READ_ONLY, hot), 1 - TPCH_HOT_REQUESTS]);
    }
    return mixOf(ctx, parts);
  },
};

// ---- microbenchmarks -------------------------------------------------------------------------

const MICRO_SCAN_RUN = 64;

const microLoop: Preset = {
  name: 'micro-loop',
  title: 'Loop microbenchmark',
  rationale:
    'Reads pages 0..pages-1 cyclically: every reuse distance is exactly pages, so LRU hits ' +
    'nothing below pages and everything above; the sharpest test of MRC methods at one size.',
  parameters: 'loop over all pages, read-only.',
  describe: (pages) => `loop over ${pages} pages`,
  build: (pages, ctx) => leaf(ctx, 'loop', new LoopSource(pages)),
};

const microRandom: Preset = {
  name: 'micro-random',
  title: 'Random microbenchmark',
  rationale:
    'Uniform random reads over the footprint: the miss ratio falls linearly with memory, a ' +
    'curve with no knee that sampling methods must track everywhere.',
  parameters: 'uniform over all pages, read-only.',
  describe: (pages) => `uniform over ${pages} pages`,
  build: (pages, ctx) => leaf(ctx, 'random', new UniformSource(pages, nodeRng(ctx, 'random'))),
};

const microScan: Preset = {
  name: 'micro-scan',
  title: 'Scan microbenchmark',
  rationale:
    'Sequential reads of 256 KiB ranges at random places in a large file: strong sequential ' +
    'locality inside a range, no reuse between ranges beyond chance; the access pattern of ' +
    'file copies and streaming reads that pollute a cache.',
  parameters: `scans of ${MICRO_SCAN_RUN} consecutive pages (fewer if pages < ${MICRO_SCAN_RUN}) at uniformly random starts, read-only.`,
  describe: (pages) =>
    `scans of ${Math.min(MICRO_SCAN_RUN, pages)} pages at random places in ${pages} pages`,
  build: (pages, ctx) =>
    leaf(ctx, 'scan', new ScanSource(pages, Math.min(MICRO_SCAN_RUN, pages), nodeRng(ctx, 'scan'))),
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  specweb,
  'index-search': indexSearch,
  tpcc,
  tpch,
  'micro-loop': microLoop,
  'micro-random': microRandom,
  'micro-scan': microScan,
};
