import type { Redis } from 'ioredis';

/**
 * A second connection in subscriber mode (Redis wants one of its own), subscribed again each time it is
 * ready — also when the first subscribe failed because Redis was away at start — so a replica hears the
 * others again as soon as Redis is back.
 */
export class Subscriber {
  private readonly handlers = new Map<string, Array<(message: string) => void>>();

  constructor(private readonly client: Redis) {
    client.on('ready', () => void this.subscribeAll());
    client.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  on(channel: string, handler: (message: string) => void): void {
    const known = this.handlers.get(channel);
    if (known) known.push(handler);
    else {
      this.handlers.set(channel, [handler]);
      if (this.client.status === 'ready') void this.subscribeAll();
    }
  }

  private async subscribeAll(): Promise<void> {
    const channels = [...this.handlers.keys()];
    if (channels.length === 0) return;
    // A failure here is an outage the main connection reports; the next 'ready' tries again.
    await this.client.subscribe(...channels).catch(() => undefined);
  }
}
