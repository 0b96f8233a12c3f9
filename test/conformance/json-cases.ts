import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ask, type Answer } from './answer.ts';
import { FENCED_PERSON, PERSON, PERSON_SCHEMA, user } from './fixtures.ts';
import type { Conformance } from './suite.ts';

/** response_format: JSON object mode and JSON schema mode; whole or streamed. */
export function jsonCases(ctx: Conformance, stream: boolean): void {
  test('JSON object mode reaches the upstream as its JSON mode; a fenced answer comes back as bare JSON', async () => {
    ctx.upstream.fake.reply({ text: FENCED_PERSON, chunkSize: 5 });
    const answer = await ask(
      ctx.client,
      { model: ctx.model('json'), messages: [user('Describe Ada as JSON.')], response_format: { type: 'json_object' } },
      stream,
    );
    assertBareJson(answer);
    assert.deepEqual(ctx.entry.received.jsonMode(ctx.upstream.chatRequests()[0]?.body), { type: 'json_object' });
  });

  test('JSON schema mode reaches the upstream as its schema form', async () => {
    ctx.upstream.fake.reply({ text: FENCED_PERSON, chunkSize: 5 });
    const answer = await ask(
      ctx.client,
      {
        model: ctx.model('json'),
        messages: [user('Describe Ada.')],
        response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema: PERSON_SCHEMA } },
      },
      stream,
    );
    assertBareJson(answer);
    const mode = ctx.entry.received.jsonMode(ctx.upstream.chatRequests()[0]?.body);
    assert.equal(mode?.type, 'json_schema', `schema mode upstream: ${JSON.stringify(mode)}`);
    const schema = mode.type === 'json_schema' ? mode.schema : undefined;
    assert.equal(schema?.type, 'object');
    assert.deepEqual(schema?.properties, PERSON_SCHEMA.properties);
    assert.deepEqual(schema?.required, PERSON_SCHEMA.required);
  });
}

function assertBareJson(answer: Answer): void {
  const text = answer.content ?? '';
  assert.ok(/^\s*\{[\s\S]*\}\s*$/.test(text), `bare JSON, no fence: ${JSON.stringify(text)}`);
  assert.deepEqual(JSON.parse(text), PERSON);
  assert.equal(answer.finish, 'stop');
}
