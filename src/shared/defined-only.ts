/** A copy without the keys whose value is `undefined`, so "absent" and "given as undefined" (or JSON null, once parsed) mean the same. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
