/** A streamed answer as a caller sees it on the wire. */
export interface SseTranscript {
  status: number;
  headers: Headers;
  /** Each `data:` payload, parsed when it is JSON. */
  events: any[];
  /** Whether the stream ended with `data: [DONE]`. */
  done: boolean;
  /** The concatenated `delta.content` of every chunk. */
  text: string;
  raw: string;
}

/** POSTs a chat request with raw fetch and reads the whole response (SSE or JSON error) as text. */
export async function postChat(baseURL: string, body: unknown, headers: Record<string, string> = {}): Promise<SseTranscript> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const raw = await response.text();
  return parseSse(response.status, response.headers, raw);
}

export function parseSse(status: number, headers: Headers, raw: string): SseTranscript {
  const events: any[] = [];
  let done = false;
  let text = '';
  if (!(headers.get('content-type') ?? '').includes('text/event-stream')) {
    return { status, headers, events: [JSON.parse(raw)], done: false, text: '', raw };
  }
  for (const block of raw.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const event = JSON.parse(data);
    events.push(event);
    text += event.choices?.[0]?.delta?.content ?? '';
  }
  return { status, headers, events, done, text, raw };
}
