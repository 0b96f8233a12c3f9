/**
 * prom-client validates and hashes the label object on every `inc`/`observe`; on the request path that
 * is a cost per request. The labelled child of a metric is fetched once per distinct label values and
 * kept (label values are bounded, so this map is too).
 */
export class LabelChildren<Child> {
  private readonly children = new Map<string, Child>();

  constructor(private readonly make: (...values: string[]) => Child) {}

  /** The child for these label values, in the metric's `labelNames` order. */
  of(...values: string[]): Child {
    const key = values.join('\u0001');
    let child = this.children.get(key);
    if (child === undefined) this.children.set(key, (child = this.make(...values)));
    return child;
  }
}
