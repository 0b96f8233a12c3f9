/**
 * The store of Responses-API answers did not answer a read (Redis down or slow). Kept apart from "absent":
 * answering an outage with a 404 would tell the caller its response is gone when it is not.
 */
export class ResponseStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the response store did not answer: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'ResponseStoreUnavailableError';
  }
}
