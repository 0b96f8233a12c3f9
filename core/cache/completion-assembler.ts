import type { ChatCompletion, ChatCompletionChunk, ChatMessage, FinishReason, ToolCall, Usage } from '../contracts/openai.ts';

interface ChoiceState {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finish: FinishReason | null;
  sawContent: boolean;
}

/** Folds a stream's chunks back into the whole answer they add up to, so a streamed answer can be cached. */
export class CompletionAssembler {
  private id = '';
  private created = 0;
  private model = '';
  private usage: Usage | undefined;
  private readonly choices = new Map<number, ChoiceState>();

  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.created ||= chunk.created;
    this.model ||= chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      let state = this.choices.get(choice.index);
      if (!state) this.choices.set(choice.index, (state = { content: '', reasoning: '', toolCalls: [], finish: null, sawContent: false }));
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') {
        state.content += delta.content;
        state.sawContent = true;
      }
      if (typeof delta.reasoning_content === 'string') state.reasoning += delta.reasoning_content;
      for (const call of delta.tool_calls ?? []) {
        const existing = state.toolCalls[call.index];
        if (!existing) {
          state.toolCalls[call.index] = { id: call.id ?? '', type: 'function', function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' } };
        } else {
          if (call.id) existing.id = call.id;
          if (call.function?.name) existing.function.name += call.function.name;
          if (call.function?.arguments) existing.function.arguments += call.function.arguments;
        }
      }
      if (choice.finish_reason) state.finish = choice.finish_reason;
    }
  }

  completion(): ChatCompletion {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, state]) => {
        const message: ChatMessage & { role: 'assistant' } = { role: 'assistant', content: state.sawContent || state.toolCalls.length === 0 ? state.content : null };
        if (state.reasoning) message.reasoning_content = state.reasoning;
        const calls = state.toolCalls.filter(Boolean);
        if (calls.length > 0) message.tool_calls = calls;
        return { index, message, finish_reason: state.finish };
      });
    const completion: ChatCompletion = { id: this.id, object: 'chat.completion', created: this.created, model: this.model, choices };
    if (this.usage) completion.usage = this.usage;
    return completion;
  }
}
