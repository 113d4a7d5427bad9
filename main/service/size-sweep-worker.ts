/** Worker thread of {@link runSizeSweep}: runs its share of the caches over the chunks it is sent. */
import { SizeSweep, type SweepSpec } from '../engine/policy/size-sweep.js';
import { serveChunks } from './chunk-worker-side.js';

serveChunks((specs: SweepSpec[]) => {
  const sweep = new SizeSweep(specs);
  return {
    feed: (pages) => sweep.feed(pages, pages.length),
    finish: () => ({ result: sweep.results() }),
  };
});
