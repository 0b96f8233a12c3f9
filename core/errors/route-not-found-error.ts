import { GatewayError } from './gateway-error.ts';

/** No route answers this method and path (OpenAI answers the same with 404 and an invalid-request type). */
export class RouteNotFoundError extends GatewayError {
  constructor(method: string, path: string) {
    super(`Unknown route ${method} ${path}. See GET /v1/models, POST /v1/chat/completions, POST /v1/responses, POST /v1/embeddings.`, {
      status: 404,
      code: 'invalid_request',
    });
  }
}
