// Preloaded into the gateway by the benchmark only (`node --expose-gc --import ./dist/bench/gc-hook.js …`):
// on SIGUSR2 it runs a full garbage collection and prints the memory figures, so the "RSS after N
// requests" reading compares live memory, not however much garbage the last GC happened to leave.
// It adds nothing to the request path.

const collect = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  if (collect) {
    collect();
    collect();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`bench-memory ${JSON.stringify({ gc: collect !== undefined, rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
});
