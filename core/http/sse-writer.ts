import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from '../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../contracts/provider.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { EVENT_STREAM_HEADERS, writeEvent } from './event-stream.ts';


/**
 * Writes an OpenAI stream to the caller: `data: {chunk}` events written the moment they are handed over
 * (backpressure respected, never batched), each with the resolved model, and exactly one ending — `data:
 * [DONE]` after a clean finish, or one `data: {"error": …}` event after a failure, never both.
 */
export class SseWriter {
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly resolved: string,
    private readonly includeUsage: boolean,
  ) {}

  /** Sends the status line and headers; called once the first chunk is ready. */
  begin(extraHeaders: Record<string, string>): void {
    this.res.writeHead(200, { ...EVENT_STREAM_HEADERS, ...extraHeaders });
  }

  /**
   * Writes one chunk at once. Returns a promise only when the socket's buffer is full (await it before the
   * next chunk: backpressure), else nothing: an async function would cost a promise on every chunk.
   */
  write(item: StreamItem): Promise<void> | undefined {
    if (this.ended) return undefined;
    let data: string;
    if (isSerializedChunk(item)) {
      data = item.serialized;
    } else {
      const chunk = item as ChatCompletionChunk;
      if (chunk.usage && !this.includeUsage) {
        // The router has noted the counts; the caller did not ask to see them.
        if (chunk.choices.length === 0) return undefined;
        delete chunk.usage;
      }
      chunk.model = this.resolved;
      data = JSON.stringify(chunk);
    }
    // Chunks written in the same tick (one upstream read often carries several) leave in one socket write
    // without anything here: Node's HTTP response corks its socket on a write and uncorks it on the next
    // tick, so nothing ever waits for a later chunk either.
    return writeEvent(this.res, `data: ${data}\n\n`);
  }

  done(): void {
    this.finish('data: [DONE]\n\n');
  }

  error(error: GatewayError, requestId?: string): void {
    const envelope = error.toEnvelope();
    if (requestId) envelope.error.request_id = requestId;
    this.finish(`data: ${JSON.stringify(envelope)}\n\n`);
  }

  private finish(last: string): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.res.destroyed) this.res.end(last);
  }
}
