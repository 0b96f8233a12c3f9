import { FakeServer, type FakeExchange, type Fault, type RecordedRequest } from './fake-server.ts';

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
