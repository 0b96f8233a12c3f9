import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BodyQueue, type Settle, type UpstreamResponse } from './body-queue.ts';

/**
 * One request and its answer as an undici dispatch handler, its body a `BodyQueue`. The call's signal
 * aborts the exchange at any point: before the answer it rejects `response`, after it fails the body's
 * pending and next read with the signal's reason.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler {
  /** Settles once the status and headers arrived (or the request failed before that). */
  readonly response: Promise<UpstreamResponse>;
  private answered: Settle<UpstreamResponse> | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private readonly body: BodyQueue;

  constructor(private readonly signal: AbortSignal) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.answered = { resolve, reject };
    });
    this.body = new BodyQueue({
      pause: () => this.controller?.pause(),
      resume: () => this.controller?.resume(),
      cut: (error) => this.controller?.abort(error),
    });
    if (signal.aborted) this.onAbort();
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(abortError(this.signal));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    const answered = this.answered;
    this.answered = undefined;
    answered?.resolve({ statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body.push(chunk);
  }

  onResponseEnd(): void {
    this.release();
    this.body.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    const reason = this.signal.aborted ? (this.signal.reason ?? error) : error;
    this.release();
    const answered = this.answered;
    this.answered = undefined;
    if (answered) answered.reject(reason);
    else this.body.fail(reason);
  }

  private readonly onAbort = (): void => {
    if (this.controller) this.controller.abort(abortError(this.signal));
    else this.onResponseError(undefined, abortError(this.signal));
  };

  private release(): void {
    this.signal.removeEventListener('abort', this.onAbort);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}
