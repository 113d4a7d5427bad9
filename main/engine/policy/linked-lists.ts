import { growInt32 } from '../util/grow.js';

/**
 * A few doubly linked lists over integer nodes (frames or page ids) held in one Int32Array, each
 * node's prev, next and list number side by side (one cache line per node touched). Each node is
 * in at most one list; heads are the most recent end. The array grows when a node id exceeds it,
 * so the same structure serves fixed frame sets and growing page-id spaces (ghost lists).
 */
export class LinkedLists {
  /** links[3n] = prev, links[3n + 1] = next, links[3n + 2] = list of node n (-1: none). */
  private links: Int32Array;
  private nodes: number;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  private readonly sizes: Int32Array;

  constructor(lists: number, nodeSpace: number) {
    this.nodes = Math.max(1, nodeSpace);
    this.links = new Int32Array(3 * this.nodes).fill(-1);
    this.heads = new Int32Array(lists).fill(-1);
    this.tails = new Int32Array(lists).fill(-1);
    this.sizes = new Int32Array(lists);
  }

  /** List holding `node`, or -1. */
  which(node: number): number {
    return node < this.nodes ? this.links[3 * node + 2] : -1;
  }

  size(list: number): number {
    return this.sizes[list];
  }

  /** Most recent node of `list`, or -1. */
  head(list: number): number {
    return this.heads[list];
  }

  /** Least recent node of `list`, or -1. */
  tail(list: number): number {
    return this.tails[list];
  }

  /** Inserts a node that is in no list at the head of `list`. */
  pushHead(list: number, node: number): void {
    if (node >= this.nodes) this.grow(node + 1);
    const links = this.links;
    const h = this.heads[list];
    const at = 3 * node;
    links[at] = -1;
    links[at + 1] = h;
    links[at + 2] = list;
    if (h >= 0) links[3 * h] = node;
    else this.tails[list] = node;
    this.heads[list] = node;
    this.sizes[list]++;
  }

  /** Unlinks `node` from its list; returns the list it was in, or -1. */
  remove(node: number): number {
    if (node >= this.nodes) return -1;
    const links = this.links;
    const at = 3 * node;
    const list = links[at + 2];
    if (list < 0) return -1;
    const p = links[at];
    const n = links[at + 1];
    if (p >= 0) links[3 * p + 1] = n;
    else this.heads[list] = n;
    if (n >= 0) links[3 * n] = p;
    else this.tails[list] = p;
    links[at + 2] = -1;
    this.sizes[list]--;
    return list;
  }

  /** Moves `node` (in any list or none) to the head of `list`. */
  moveToHead(list: number, node: number): void {
    this.remove(node);
    this.pushHead(list, node);
  }

  /** Removes and returns the tail of `list`, or -1 when it is empty. */
  popTail(list: number): number {
    const t = this.tails[list];
    if (t >= 0) this.remove(t);
    return t;
  }

  /** Nodes of `list` from head to tail (for tests and small displays). */
  toArray(list: number): number[] {
    const out: number[] = [];
    for (let n = this.heads[list]; n >= 0; n = this.links[3 * n + 1]) out.push(n);
    return out;
  }

  private grow(min: number): void {
    let nodes = this.nodes * 2;
    while (nodes < min) nodes *= 2;
    this.links = growInt32(this.links, 3 * nodes, -1);
    this.nodes = nodes;
  }
}
