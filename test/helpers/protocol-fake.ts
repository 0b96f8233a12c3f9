import assert from 'node:assert/strict';
import { FakeServer, sleep, type FakeExchange, type Fault, type RecordedRequest } from './fake-server.ts';

/**
 * What every protocol fake (Ollama, OpenAI, Gemini) shares: a FakeServer underneath, the scripted reply,
 * and the controls a test uses — start/stop, faults, the request log. A subclass speaks its protocol in
 * `handle` and says how its errors look.
 */
export abstract class ProtocolFake<Script> {
  readonly server: FakeServer;
  protected script: Script;

  constructor(defaultScript: Script, errorBody: (status: number, message: string) => unknown) {
    this.script = defaultScript;
    this.server = new FakeServer({ handle: (exchange) => this.handle(exchange), errorBody });
  }

  protected abstract handle(exchange: FakeExchange): void | Promise<void>;

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.server.requestsTo(prefix);
  }

  /** The most requests to `prefix` open at once. */
  peakInFlight(prefix: string): number {
    return this.server.peakInFlight(prefix);
  }

  /**
   * The one request to `prefix` that arrived after the first `seen` of them (a count taken before the test
   * sent its own), waiting up to `timeoutMs` for it. It fails unless exactly one arrived: a check of the
   * test's own request can then never be answered by an earlier test's, nor pass when it never came.
   */
  async onlyRequestSince(prefix: string, seen: number, timeoutMs = 1000): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    while (this.requestsTo(prefix).length <= seen && Date.now() < deadline) await sleep(10);
    const since = this.requestsTo(prefix).slice(seen);
    assert.equal(since.length, 1, `exactly one new request to ${prefix} (got ${since.length}: ${since.map((r) => r.path).join(', ')})`);
    return since[0]!;
  }

  /** The answer every following request gets (or a function of its body). */
  reply(script: Script): this {
    this.script = script;
    return this;
  }

  fault(fault: Fault): this {
    this.server.fault(fault);
    return this;
  }

  clearFaults(): this {
    this.server.clearFaults();
    return this;
  }

  async start(port?: number): Promise<this> {
    await this.server.start(port);
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
