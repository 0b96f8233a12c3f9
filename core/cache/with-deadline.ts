/**
 * `promise`, or a rejection once `ms` have passed: a store that hangs must cost a request at most that
 * long (the Redis plugin has its own, shorter, command timeout; this bounds any other backend).
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms}ms`)), ms);
    }),
  ]);
}
