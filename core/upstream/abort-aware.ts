/**
 * Marks a stream iterator whose pending read settles by itself once the call's signal aborts (the core's
 * own stream pump: its body read fails with the signal's reason). The committed stream then reads it
 * directly; an iterator without the mark — a plugin's own, which may ignore its signal — is read through
 * a wrapper that an abort settles at once, which costs two promises on every chunk.
 */
const ABORT_AWARE = Symbol('mana-llm.abortAware');

export function markAbortAware<T extends object>(iterator: T): T {
  (iterator as Record<symbol, unknown>)[ABORT_AWARE] = true;
  return iterator;
}

export function isAbortAware(iterator: object): boolean {
  return (iterator as Record<symbol, unknown>)[ABORT_AWARE] === true;
}
