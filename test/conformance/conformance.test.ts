import { describe } from 'node:test';
import { chatCases, embeddingCases } from './chat-cases.ts';
import { errorCases } from './error-cases.ts';
import { jsonCases } from './json-cases.ts';
import { PROVIDERS } from './providers.ts';
import { responsesCases } from './responses-cases.ts';
import { routingCases } from './routing-cases.ts';
import { conformanceSuite } from './suite.ts';
import { toolCases } from './tool-cases.ts';

// The provider conformance suite: the same cases, through the gateway with the official `openai` client,
// against every entry of the provider table (providers.ts), each whole and streamed where that makes sense.
// One gateway per entry, shared by its cases; the fakes are reset between cases. The entries share nothing,
// so they run side by side; the cases of one entry run in order.

describe('provider conformance', { concurrency: true }, () => {
  for (const entry of PROVIDERS) {
    describe(`${entry.name} (${entry.plugin})`, { concurrency: 1 }, () => {
      const ctx = conformanceSuite(entry);
      for (const stream of [false, true]) {
        describe(stream ? 'streamed' : 'whole', { concurrency: 1 }, () => {
          chatCases(ctx, stream);
          toolCases(ctx, stream);
          jsonCases(ctx, stream);
          errorCases(ctx, stream);
          routingCases(ctx, stream);
          responsesCases(ctx, stream);
        });
      }
      describe('embeddings', { concurrency: 1 }, () => embeddingCases(ctx));
    });
  }
});
