import { ArcPolicy } from './arc.js';
import { ClockPolicy } from './clock.js';
import { ClockProPolicy } from './clockpro.js';
import { ClockProLibCacheSimPolicy } from './clockpro-libcachesim.js';
import { FifoPolicy } from './fifo.js';
import { LruPolicy } from './lru.js';
import { LfuPolicy } from './lfu.js';
import { LirsPolicy } from './lirs.js';
import { Lru2Policy } from './lru2.js';
import { OptPolicy } from './opt.js';
import { S3FifoPolicy } from './s3fifo.js';
import { SievePolicy } from './sieve.js';
import { TwoQPolicy } from './two-q.js';
import type { PagePolicy, PolicyName, PolicyOptions } from './policy.js';

export { computeNextUse } from './opt.js';

/** Builds a guest page replacement policy by name. OPT needs `options.nextUse`. */
export function createPolicy(
  name: PolicyName,
  capacity: number,
  options: PolicyOptions = {},
): PagePolicy {
  switch (name) {
    case 'lru':
      return new LruPolicy(capacity);
    case 'fifo':
      return new FifoPolicy(capacity);
    case 'clock':
      return new ClockPolicy(capacity);
    case 'arc':
      return new ArcPolicy(capacity);
    case 'lru2':
      return new Lru2Policy(capacity, options.activeFraction ?? 0.5);
    case 'opt':
      if (!options.nextUse) throw new Error('OPT needs options.nextUse (see computeNextUse)');
      return new OptPolicy(capacity, options.nextUse);
    case 'lfu':
      return new LfuPolicy(capacity);
    case '2q':
      return new TwoQPolicy(capacity);
    case 'lirs':
      return new LirsPolicy(capacity);
    case 's3fifo':
      return new S3FifoPolicy(capacity);
    case 'sieve':
      return new SievePolicy(capacity);
    case 'clockpro':
      return new ClockProPolicy(capacity);
    case 'clockpro-libcachesim':
      return new ClockProLibCacheSimPolicy(capacity);
    default: {
      const never: never = name;
      throw new Error(`unknown policy ${String(never)}`);
    }
  }
}
