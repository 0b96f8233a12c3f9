import { isGatewayError } from '../../errors/gateway-error.ts';
import { UpstreamTimeoutError } from '../../errors/upstream-timeout-error.ts';
import type { Logger } from '../../log/logger.ts';
import type { HealthProbe } from '../../contracts/health-probe.ts';
import type { HealthRegistry } from './health-registry.ts';

export interface ProbeLoopOptions {
  timeoutMs: number;
}

/** One provider's probe and how often it runs (the GPU box may be probed more often than a cloud). */
export interface ScheduledProbe {
  probe: HealthProbe;
  intervalMs: number;
}

/**
 * Runs each provider's probe every its own interval (providers sharing an interval are probed together,
 * concurrently), each bounded by `timeoutMs`, and feeds the results into the health registry. A probe that
 * throws or hangs costs only its own slot: the loop goes on, and a provider whose previous probe is still
 * running is not probed twice.
 */
export class ProbeLoop {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<string>();
  private readonly stopController = new AbortController();

  constructor(
    private readonly probes: ReadonlyMap<string, ScheduledProbe>,
    private readonly health: HealthRegistry,
    private readonly log: Logger,
    private readonly options: ProbeLoopOptions,
  ) {}

  /** Runs the first round now and resolves when it has settled (each probe within its timeout); then each at its interval. */
  async start(): Promise<void> {
    const byInterval = new Map<number, string[]>();
    for (const [name, { intervalMs }] of this.probes) byInterval.set(intervalMs, [...(byInterval.get(intervalMs) ?? []), name]);
    for (const [intervalMs, names] of byInterval) {
      const timer = setInterval(() => void this.run(names), intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
    await this.runOnce();
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.stopController.abort();
  }

  /** One round of every probe; resolves when each has settled. */
  runOnce(): Promise<void> {
    return this.run([...this.probes.keys()]);
  }

  private async run(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => this.probeOne(name, this.probes.get(name)!.probe)));
  }

  private async probeOne(name: string, probe: HealthProbe): Promise<void> {
    if (this.running.has(name) || this.stopController.signal.aborted) return;
    this.running.add(name);
    const controller = new AbortController();
    const onStop = () => controller.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop, { once: true });
    const timeout = new UpstreamTimeoutError(`${name}: health probe took longer than ${this.options.timeoutMs}ms`, 'probe');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(controller.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort(timeout);
            reject(timeout);
          }, this.options.timeoutMs);
        }),
      ]);
      if (!this.stopController.signal.aborted) this.health.probed(name, true);
    } catch (err) {
      if (this.stopController.signal.aborted) return;
      const reason = isGatewayError(err) ? err.reason : 'probe_failed';
      this.health.probed(name, false, reason);
      this.log.debug({ provider: name, reason, err: (err as Error).message }, 'health probe failed');
    } finally {
      clearTimeout(timer);
      this.stopController.signal.removeEventListener('abort', onStop);
      this.running.delete(name);
    }
  }
}
