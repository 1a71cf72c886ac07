/**
 * The values a `world` example assumes (its `declare const NAME: Type;`
 * lines), handed over by test/docs/_run-world.ts before the example module
 * is imported: test/docs/_examples.ts turns each such line into
 * `const NAME: Type = provide("NAME");`.
 */
const values = new Map<string, unknown>();

/** Sets what `provide(name)` returns (the world runner calls it). */
export function setProvided(name: string, value: unknown): void {
  values.set(name, value);
}

/**
 * The value the world made for a name an example declares.
 * @throws Error when the world has none: the world runner must learn to make it
 */
export function provide<T>(name: string): T {
  if (!values.has(name))
    throw new Error(`the examples' world has no value for "${name}" (test/docs/_run-world.ts)`);
  return values.get(name) as T;
}
