import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// CPU time and resident memory of another process, read from /proc (Linux), so the figures are the
// process's own and not the load generator's.

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time the process has used so far, in milliseconds (resolution: one clock tick). */
export function cpuTimeMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** The same for the process's main thread alone: a Node process's event loop (GC helpers and the thread pool excluded). */
export function mainThreadCpuTimeMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuMs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces, so count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** Resident set size now, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Reads something of another process on an interval while a load runs; `stop` takes a last reading. */
abstract class IntervalSampler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly pid: number,
    private readonly intervalMs: number,
  ) {}

  start(): this {
    this.read();
    this.timer = setInterval(() => this.read(), this.intervalMs);
    return this;
  }

  protected halt(): void {
    clearInterval(this.timer);
    this.read();
  }

  private read(): void {
    try {
      this.sample();
    } catch {
      // The process is gone; what was read so far stands.
    }
  }

  protected abstract sample(): void;
}

/** Samples a process's RSS on an interval and keeps the peak (for "peak RSS under load"). */
export class RssSampler extends IntervalSampler {
  peak = 0;

  constructor(pid: number, intervalMs = 50) {
    super(pid, intervalMs);
  }

  stop(): number {
    this.halt();
    return this.peak;
  }

  protected sample(): void {
    this.peak = Math.max(this.peak, rssBytes(this.pid));
  }
}

/**
 * How busy a process's event-loop thread was in its busiest second: its CPU time over consecutive
 * one-second windows, sampled every `intervalMs`. Near 1 the loop is saturated: events arrive faster than
 * it handles them and every one of them waits in the queue of ready sockets.
 */
export class LoopBusySampler extends IntervalSampler {
  private readonly samples: Array<{ at: number; cpuMs: number }> = [];

  constructor(pid: number, intervalMs = 100) {
    super(pid, intervalMs);
  }

  /** The busiest one-second share of the main thread (0 to 1), and how many whole seconds of the run it was at 0.9 or more. */
  stop(): { peakShare: number; secondsAbove90: number } {
    this.halt();
    let peakShare = 0;
    let secondsAbove90 = 0;
    // Each window runs from the first sample at or after the previous one's end.
    let from = 0;
    for (let to = 1; to < this.samples.length; to++) {
      const window = this.samples[to]!.at - this.samples[from]!.at;
      if (window < 1_000) continue;
      const share = Math.min(1, (this.samples[to]!.cpuMs - this.samples[from]!.cpuMs) / window);
      peakShare = Math.max(peakShare, share);
      if (share >= 0.9) secondsAbove90++;
      from = to;
    }
    return { peakShare, secondsAbove90 };
  }

  protected sample(): void {
    this.samples.push({ at: performance.now(), cpuMs: mainThreadCpuTimeMs(this.pid) });
  }
}
