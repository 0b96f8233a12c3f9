import { Client, type Dispatcher } from 'undici';

/**
 * Keep-alive connections to one origin, as many as requests in flight, each an undici `Client` that
 * carries one request at a time. The idle ones wait on a stack, so taking one costs the same however many
 * others are busy, and the one taken is the last to finish: its socket is the warmest, and the ones below
 * it idle out on the server's keep-alive timeout instead of being kept barely alive by a rotation.
 *
 * Why not undici's `Pool`: it finds a free client by walking its whole list on every request, and walks it
 * again when the one it picked becomes busy. With 5,000 streams open that walk alone took 1.5 % of the
 * gateway's CPU (`perf`), and every new stream paid it while the ramp was the busiest moment.
 *
 * A client whose connection dropped while idle stays on the stack and connects again on its next request,
 * as in undici's Pool: after a burst of thousands of streams the next burst reuses their connections (the
 * ones still open) instead of paying a new connection per stream in the gateway and the upstream alike.
 */
export class ConnectionStack {
  private readonly idle: Client[] = [];
  private readonly all = new Set<Client>();

  constructor(
    private readonly origin: string,
    private readonly options: Client.Options,
  ) {}

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const client = this.idle.pop() ?? this.open();
    // With one request per connection a client is busy once it has one; were it not, it could take another.
    if (client.dispatch(options, handler)) this.release(client);
  }

  /** Clients open or opening, busy and idle (for tests). */
  get size(): number {
    return this.all.size;
  }

  async close(): Promise<void> {
    const clients = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(clients.map((client) => client.close()));
  }

  private open(): Client {
    const client = new Client(this.origin, this.options);
    this.all.add(client);
    // A client drains once its request is over (answered, failed or aborted) and it can take the next.
    client.on('drain', () => this.release(client));
    return client;
  }

  private release(client: Client): void {
    if (this.all.has(client) && !client.closed && !client.destroyed) this.idle.push(client);
  }
}
