/**
 * A token's scope as a person reads it: vault names instead of ids (the names come from the
 * token's own `GET /v1/vaults`), one item per vault or entry with its actions, e.g.
 * "Accounting (read, use), Personal / GitHub (read)". The raw scope stays in --json output.
 */
import { parseScope } from '../../core/auth/scopes.js';

export interface NamedVault {
  readonly id: string;
  readonly name: string;
}

export function readableScope(scope: string, vaults: readonly NamedVault[]): string {
  let items;
  try {
    items = parseScope(scope);
  } catch {
    return scope;
  }
  const names = new Map(vaults.map((v) => [v.id, v.name]));
  const grouped = new Map<string, string[]>();
  for (const item of items) {
    const vault = names.get(item.vault) ?? item.vault;
    const where = item.kind === 'vault' ? vault : `${vault} / ${item.entry}`;
    const actions = grouped.get(where) ?? [];
    if (!actions.includes(item.action)) actions.push(item.action);
    grouped.set(where, actions);
  }
  return [...grouped].map(([where, actions]) => `${where} (${actions.join(', ')})`).join(', ');
}
