/**
 * A capped provider's slots are all busy and its queue is full. Never rendered as it is: the router turns
 * it into the `overloaded` skip, or into a 429 when the profile says `overflow: reject`.
 */
export class CapacityExceededError extends Error {
  constructor(readonly provider: string) {
    super(`${provider} is at capacity: every connection slot is busy and its queue is full`);
    this.name = 'CapacityExceededError';
  }
}
