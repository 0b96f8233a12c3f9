import { isGatewayError } from '../../errors/gateway-error.ts';
import { UpstreamTimeoutError } from '../../errors/upstream-timeout-error.ts';
import type { Logger } from '../../log/logger.ts';
import type { HealthProbe } from '../../contracts/health-probe.ts';
import type { HealthRegistry } from './health-registry.ts';

export interface ProbeLoopOptions {
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Every `intervalMs`, runs each provider's probe concurrently, each bounded by `timeoutMs`, and feeds the
 * results into the health registry. A probe that throws or hangs costs only its own slot: the loop goes
 * on, and a provider whose previous probe is still running is not probed twice.
 */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<string>();
  private readonly stopController = new AbortController();

  constructor(
    private readonly probes: ReadonlyMap<string, HealthProbe>,
    private readonly health: HealthRegistry,
    private readonly log: Logger,
    private readonly options: ProbeLoopOptions,
  ) {}

  /** Runs the first round now and resolves when it has settled (each probe within its timeout); then every interval. */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
    await this.runOnce();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopController.abort();
  }

  /** One round; resolves when every probe of it has settled. */
  async runOnce(): Promise<void> {
    await Promise.all([...this.probes].map(([name, probe]) => this.probeOne(name, probe)));
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
