import type { EmbeddingResponse } from '../contracts/openai.ts';

/**
 * Gives the caller the encoding it asked for, whatever the provider returned: floats become base64 of
 * little-endian float32 (what the `openai` client requests by default and decodes), and base64 from a
 * provider becomes floats for a caller that wants them.
 */
export function encodeEmbeddings(response: EmbeddingResponse, format: 'float' | 'base64'): EmbeddingResponse {
  for (const item of response.data) {
    const value = item.embedding;
    if (format === 'base64' && Array.isArray(value)) item.embedding = floatsToBase64(value);
    else if (format === 'float' && typeof value === 'string') item.embedding = base64ToFloats(value);
  }
  return response;
}

export function floatsToBase64(values: number[]): string {
  const floats = Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

export function base64ToFloats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const out: number[] = new Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
