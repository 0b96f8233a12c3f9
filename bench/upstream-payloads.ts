// The fake upstream's answers, serialized once at start: the upstream must cost as little as possible per
// request, so that whatever the benchmark sees beyond "direct" is the hop under test, not the fake.

const CREATED = 1_700_000_000;
const USAGE = { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 };

export const MODEL_ID = 'bench-model';

export const chatCompletion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: MODEL_ID,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! This is a short, pre-serialized answer from the benchmark upstream.' },
        finish_reason: 'stop',
      },
    ],
    usage: USAGE,
  }),
);

/** A small embedding model's width: big enough that the body is not trivial, small enough to stay cheap. */
const EMBEDDING_DIMENSIONS = 384;

export const embeddings = Buffer.from(
  JSON.stringify({
    object: 'list',
    data: [
      {
        object: 'embedding',
        index: 0,
        embedding: Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => Number(Math.sin(i + 1).toFixed(6))),
      },
    ],
    model: MODEL_ID,
    usage: { prompt_tokens: 8, total_tokens: 8 },
  }),
);

export const models = Buffer.from(
  JSON.stringify({ object: 'list', data: [{ id: MODEL_ID, object: 'model', created: CREATED, owned_by: 'bench' }] }),
);

export const notFound = Buffer.from(JSON.stringify({ error: { message: 'no such route on the bench upstream', type: 'invalid_request_error', code: 'not_found', param: null } }));

/** One `data: {chunk}\n\n` event per chunk, the last with finish_reason; then usage (when asked) and [DONE]. */
export function sseEvents(chunkCount: number): { chunks: Buffer[]; usage: Buffer; done: Buffer } {
  const chunks: Buffer[] = [];
  for (let i = 0; i < chunkCount; i++) {
    const last = i === chunkCount - 1;
    const delta = i === 0 ? { role: 'assistant', content: 'tok0 ' } : last ? {} : { content: `tok${i} ` };
    const chunk = {
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: CREATED,
      model: MODEL_ID,
      choices: [{ index: 0, delta, finish_reason: last ? 'stop' : null }],
    };
    chunks.push(Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
  }
  const usage = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: MODEL_ID, choices: [], usage: USAGE };
  return { chunks, usage: Buffer.from(`data: ${JSON.stringify(usage)}\n\n`), done: Buffer.from('data: [DONE]\n\n') };
}
