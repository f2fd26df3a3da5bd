/**
 * Every value of one header in Node's `req.rawHeaders` (a flat [name, value, name, value, ...]
 * list). `req.headers` keeps only the first Authorization and joins repeated DPoP headers, which
 * would hide exactly the duplicates docs/security.md tells us to refuse.
 */
export function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === wanted) values.push(rawHeaders[i + 1] ?? '');
  }
  return values;
}
