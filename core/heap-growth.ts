import { setFlagsFromString } from 'node:v8';

/**
 * After a full collection V8 lets the old generation grow to a multiple of what survived before it
 * collects again. Under a steady request load the gateway's survivors are few (about 30 MB), but request
 * objects that outlive two young-generation collections are promoted and then wait for that limit: the
 * heap swelled to about 200 MB of RSS at 64 connections in the benchmark. A growing factor of 1.5 keeps
 * the peak near 140 MB for a few percent of CPU (`npm run bench`). V8 reads the factor at every
 * collection, so setting it at start works; an operator's own `--heap-growing-percent` flag wins.
 */
export function limitHeapGrowth(percent = 50): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag));
  if (!given) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
