// Deterministic generators of hostile requests for the fuzz test: malformed, truncated, oversized,
// wrongly typed, prototype-polluting, deeply nested, invalid UTF-8 and numerically absurd bodies.

export interface FuzzCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  label: string;
}

/** A small seeded PRNG (mulberry32), so a failing case can be reproduced from its index. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID_CHAT = { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };
const VALID_EMBED = { model: 'ollama/nomic-embed-text', input: ['a', 'b'] };

const WEIRD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1e400, -1e400, 1e308, 2 ** 53 + 1, -0, '', ' ', 'x'.repeat(5000), '\u0000', '\ud800', '🙂'.repeat(50),
  [], [null], [[[]]], {}, { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, 'NaN', 'Infinity',
  [1, 'two', { three: 3 }], { type: 'image_url' }, { type: 'text', text: 5 }, { role: 'tool' }, '<script>alert(1)</script>', '../../etc/passwd',
];

const FIELDS = ['model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'max_tokens', 'n', 'stop', 'seed', 'tools', 'tool_choice', 'response_format', 'input', 'encoding_format', 'dimensions', '__proto__', 'constructor', 'prototype'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Mutates a valid body: drop, retype or add fields, at the top or inside messages. */
function mutated(rand: () => number, base: Record<string, unknown>): string {
  const body: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  const edits = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < edits; i++) {
    const roll = rand();
    if (roll < 0.3) delete body[pick(rand, Object.keys(body))];
    else if (roll < 0.7) body[pick(rand, FIELDS)] = pick(rand, WEIRD_VALUES);
    else if (Array.isArray(body.messages) && body.messages.length > 0) {
      (body.messages as Record<string, unknown>[])[0] = { ...(body.messages as Record<string, unknown>[])[0], [pick(rand, ['role', 'content', 'tool_calls', 'name', '__proto__'])]: pick(rand, WEIRD_VALUES) };
    } else body.messages = pick(rand, WEIRD_VALUES);
  }
  let text = JSON.stringify(body);
  // JSON.stringify drops a literal __proto__ key; put a real one in the text.
  if (rand() < 0.2) text = text.replace(/^\{/, '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},');
  return text;
}

/** The `index`-th fuzz case; the same index always gives the same case. */
export function fuzzCase(index: number): FuzzCase {
  const rand = random(index + 1);
  const json = { 'content-type': 'application/json' };
  const route = pick(rand, ['/v1/chat/completions', '/v1/embeddings']);
  const base = route === '/v1/chat/completions' ? VALID_CHAT : VALID_EMBED;
  const kind = Math.floor(rand() * 12);
  const post = (body: Buffer | string, label: string, headers: Record<string, string> = json): FuzzCase => ({
    method: 'POST',
    path: route,
    headers,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    label,
  });
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return post(mutated(rand, base), 'mutated');
    case 3: {
      const text = JSON.stringify(base);
      return post(text.slice(0, Math.floor(rand() * text.length)), 'truncated');
    }
    case 4:
      return post(nested(50 + Math.floor(rand() * 200_000)), 'deep nesting');
    case 5:
      return post(`{"model":"gemma3:4b","messages":[{"role":"user","content":"${'a'.repeat(10)}${'\\ud800'}"}],"x":${nested(80)}}`, 'nested field');
    case 6:
      return post(Buffer.concat([Buffer.from('{"model":"gemma3:4b","messages":[{"role":"user","content":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}]}')]), 'invalid UTF-8');
    case 7:
      return post(pick(rand, ['', 'null', '[]', '"string"', '42', 'true', '{', '}', '{"a":}', 'NaN', '{"messages": [}', '\u0000\u0001']), 'not an object');
    case 8:
      return post(JSON.stringify(base), 'wrong content type', { 'content-type': pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '']) });
    case 9:
      return post(`{"model":"gemma3:4b","messages":[{"role":"user","content":"hi"}],"max_tokens":${pick(rand, ['1e999', '-1e999', '123456789012345678901234567890', '0.0000001', '-0'])},"seed":${pick(rand, ['1e400', '9007199254740993', '-1'])}}`, 'huge numbers');
    case 10:
      return {
        method: pick(rand, ['GET', 'PUT', 'DELETE', 'PATCH', 'POST']),
        path: pick(rand, ['/v1/models/%E0%A4%A', '/v1/models/../../etc/passwd', '/v1/models/%00', '/v1/unknown', '/v1/chat/completions/extra', '/v1/models/mana%2Fnope', `/v1/models/${'x'.repeat(3000)}`, '/%zz', '/v1/aliases?x=%ff']),
        headers: json,
        label: 'odd path',
      };
    default:
      return post(JSON.stringify({ ...base, messages: Array.from({ length: 3 }, () => ({ role: 'user', content: [{ type: 'image_url', image_url: { url: pick(rand, ['data:image/png;base64,!!!!', 'data:,', 'javascript:alert(1)', 'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/']) } }] })) }), 'hostile image urls');
  }
}
