/** Worker thread of {@link runSizeSweep}: runs its share of the caches over the chunks it is sent. */
import { parentPort } from 'node:worker_threads';
import { SizeSweep, type SweepSpec } from '../engine/policy/size-sweep.js';

type Message =
  | { type: 'init'; specs: SweepSpec[] }
  | { type: 'chunk'; pages: Int32Array; id: number }
  | { type: 'end' };

let sweep: SizeSweep | null = null;
const port = parentPort;
if (port === null) throw new Error('size-sweep-worker must run in a worker thread');
port.on('message', (m: Message) => {
  if (m.type === 'init') {
    sweep = new SizeSweep(m.specs);
  } else if (m.type === 'chunk') {
    sweep?.feed(m.pages, m.pages.length);
    port.postMessage({ type: 'ack', id: m.id });
  } else {
    port.postMessage({ type: 'results', results: sweep?.results() ?? [] });
  }
});
