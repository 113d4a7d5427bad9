// Bundles the Electron preload into one CommonJS file (a sandboxed preload can require nothing
// but 'electron'): main/electron/preload.ts → dist/main/electron/preload.cjs. Runs after tsc: the
// preload's only runtime import from the contract, METHOD_NAMES, is taken from the compiled
// contract and inlined, so the bundle carries no zod.
import { build } from 'esbuild';

const contract = new URL('../dist/shared/api/contract.js', import.meta.url);
const { METHOD_NAMES } = await import(contract.href);

/** @type {import('esbuild').Plugin} */
const inlineMethodNames = {
  name: 'inline-method-names',
  setup(b) {
    b.onResolve({ filter: /shared\/api\/contract\.js$/ }, (args) => ({
      path: args.path,
      namespace: 'method-names',
    }));
    b.onLoad({ filter: /.*/, namespace: 'method-names' }, () => ({
      contents: `export const METHOD_NAMES = ${JSON.stringify(METHOD_NAMES)};`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [new URL('../main/electron/preload.ts', import.meta.url).pathname],
  outfile: new URL('../dist/main/electron/preload.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  plugins: [inlineMethodNames],
  legalComments: 'none',
  logLevel: 'warning',
});
