import type { RequestEndEvent } from '../../core/index.ts';

/** What the console shows of one finished request: who, which model, how it went. Never content or keys. */
export interface RequestSummary {
  /** When it ended, epoch ms. */
  at: number;
  requestId: string;
  route: RequestEndEvent['route'];
  stream: boolean;
  caller: string;
  requested: string;
  resolved: string | null;
  status: number;
  errorCode: string | null;
  durationMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  cache: string | null;
  clientAborted: boolean;
  /** The entries that did not answer, with the reason word only: an upstream's message may quote the prompt. */
  attempts: Array<{ model: string; reason: string }>;
}

/** One request's summary from its `request.end`: only the fields named above, copied, so the event can go. */
export function summarize(event: RequestEndEvent, at: number): RequestSummary {
  return {
    at,
    requestId: event.requestId,
    route: event.route,
    stream: event.stream,
    caller: event.caller,
    requested: event.requestedModel,
    resolved: event.resolved ?? null,
    status: event.status,
    errorCode: event.errorCode ?? null,
    durationMs: Math.round(event.durationMs * 10) / 10,
    ttftMs: event.ttftMs === undefined ? null : Math.round(event.ttftMs * 10) / 10,
    promptTokens: event.usage?.prompt_tokens ?? null,
    completionTokens: event.usage?.completion_tokens ?? null,
    costUsd: event.costUsd ?? null,
    cache: event.cache ?? null,
    clientAborted: event.clientAborted,
    attempts: event.attempts.map((a) => ({ model: a.model, reason: a.reason })),
  };
}

/** The last `capacity` summaries, oldest overwritten first: memory stays bounded whatever the traffic. */
export class RecentRequests {
  private readonly slots: RequestSummary[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(summary: RequestSummary): void {
    if (this.slots.length < this.capacity) this.slots.push(summary);
    else this.slots[this.next] = summary;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  list(): RequestSummary[] {
    const out: RequestSummary[] = [];
    for (let i = 1; i <= this.slots.length; i++) out.push(this.slots[(this.next - i + this.slots.length * 2) % this.slots.length]!);
    return out;
  }
}
