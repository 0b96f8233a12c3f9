import type { ChatCompletionRequest, EmbeddingRequest } from '../../contracts/openai.ts';
import { chatRequestSchema } from './chat-request-schema.ts';
import { embeddingRequestSchema } from './embedding-request-schema.ts';
import { requestValidator } from './request-validator.ts';

export const validateChatRequest = requestValidator<ChatCompletionRequest>(chatRequestSchema);
export const validateEmbeddingRequest = requestValidator<EmbeddingRequest>(embeddingRequestSchema);
