/**
 * Ends an upstream stream after its end marker (`[DONE]`, Ollama's `done: true`). The body almost always
 * ends right behind the marker: reading that end returns the connection to the pool, whereas cutting the
 * body costs a new connection and an AbortError with a stack on every stream. An upstream that keeps the
 * body open is cut after `graceMs`. `nextRead` is the pending read of the rest of the stream.
 */
export async function finishAfterEndMarker(nextRead: Promise<unknown>, body: { destroy(): unknown }, graceMs = 50): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    nextRead.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!ended) body.destroy();
}
