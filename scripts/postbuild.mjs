// Marks the CLI entry point executable after `tsc` (the shebang is kept by the compiler).
import { chmodSync, existsSync } from 'node:fs';

const bin = new URL('../dist/main/cli/hclab.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
