/**
 * Whether a parsed body nests deeper than `limit`. Walked iteratively, so a hostile body of a million
 * nested arrays cannot overflow the stack here — and is refused before any recursive code (serializers,
 * the cache key) meets it.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
