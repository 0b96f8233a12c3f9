import type { Logger } from '../../core/index.ts';

/** How long a connection must stay up before an outage counts as over (see ConnectionHealth). */
export const STABLE_AFTER_MS = 1000;

/**
 * Follows the connection's ups and downs and reports them once per outage. ioredis emits an error for
 * every failed reconnect attempt and every request fails while Redis is away; a line for each would
 * bury the log, so an outage is one warn when it starts and one info when it ends. A connection can
 * also flap — ready, then dropped a moment later (wrong credentials for a user Redis does not know,
 * a proxy that accepts and closes), reconnecting every 200 ms — so the outage ends only once the
 * connection has stayed up for `stableAfterMs`; `healthy()` follows the connection at once.
 */
/** What the outage lines say the plugin does meanwhile (each Redis plugin has its own fallback). */
export interface OutageWords {
  lost: string;
  back: string;
}

const CACHE_WORDS: OutageWords = {
  lost: 'redis cache is unreachable; answering uncached and reconnecting in the background',
  back: 'redis cache is back; answers are cached again',
};

export class ConnectionHealth {
  private up = false;
  private readonly backListeners: Array<() => void> = [];
  /** A warn went out and its matching info has not. */
  private inOutage = false;
  private stopped = false;
  private recovery: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    /** Where Redis is, without credentials, for the log lines. */
    private readonly target: string,
    private readonly stableAfterMs = STABLE_AFTER_MS,
    private readonly words: OutageWords = CACHE_WORDS,
  ) {}

  /** Calls `listener` each time an outage is over (the connection stayed up for `stableAfterMs`). */
  onBack(listener: () => void): void {
    this.backListeners.push(listener);
  }

  healthy(): boolean {
    return this.up;
  }

  ready(): void {
    if (this.stopped) return;
    this.up = true;
    if (!this.inOutage || this.recovery) return;
    this.recovery = setTimeout(() => {
      this.recovery = undefined;
      this.inOutage = false;
      this.log.info({ redis: this.target }, this.words.back);
      for (const listener of this.backListeners) listener();
    }, this.stableAfterMs);
    // A pending "back" line must not keep a finished process alive.
    this.recovery.unref();
  }

  lost(reason: string): void {
    if (this.stopped) return;
    this.up = false;
    this.cancelRecovery();
    if (this.inOutage) return;
    this.inOutage = true;
    this.log.warn({ redis: this.target, reason }, this.words.lost);
  }

  /** Our own close is not an outage: nothing is logged after it. */
  stop(): void {
    this.stopped = true;
    this.up = false;
    this.cancelRecovery();
  }

  private cancelRecovery(): void {
    clearTimeout(this.recovery);
    this.recovery = undefined;
  }
}

/** `redis://user:secret@host:6379/2` → `redis://host:6379/2`, so the password never reaches the log. */
export function redactedTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis (unparsable url)';
  }
}
