import { rssBytes } from './proc-stats.ts';
import { sleep, type BenchProcess } from './processes.ts';
import { median } from './stats.ts';

// The gateway's memory at rest, read twice in the run (after warm-up, after the soak) to show a leak as
// growth. A plain RSS reading moves by ±20 % with the timing of the last GC, so the gateway runs with
// bench/gc-hook.ts: SIGUSR2 makes it collect and report its heap, and RSS is read once that settled.

export interface MemoryReading {
  /** RSS while idle, before the forced GC (what `ps` would show). */
  idleRssMb: number;
  /** RSS after a full GC. */
  rssMb: number;
  /** V8 heap in use after a full GC: the live objects. */
  heapUsedMb: number;
}

const MB = 2 ** 20;

export async function memoryAtRest(proc: BenchProcess): Promise<MemoryReading> {
  await sleep(1_000);
  const idleRssMb = rssBytes(proc.pid) / MB;
  const before = proc.output.filter((l) => l.startsWith('bench-memory ')).length;
  process.kill(proc.pid, 'SIGUSR2');
  let line: string | undefined;
  for (let i = 0; i < 100 && !line; i++) {
    await sleep(20);
    line = proc.output.filter((l) => l.startsWith('bench-memory ')).slice(before)[0];
  }
  if (!line) throw new Error(`${proc.name} did not answer SIGUSR2 with its memory (is bench/gc-hook.ts preloaded?)`);
  const reported = JSON.parse(line.slice('bench-memory '.length)) as { gc: boolean; heapUsed: number };
  if (!reported.gc) throw new Error(`${proc.name} runs without --expose-gc; the memory reading would not be comparable`);
  // The collector returns pages to the system shortly after a full GC; read RSS once that happened.
  await sleep(700);
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    readings.push(rssBytes(proc.pid));
    await sleep(100);
  }
  return { idleRssMb, rssMb: median(readings) / MB, heapUsedMb: reported.heapUsed / MB };
}
