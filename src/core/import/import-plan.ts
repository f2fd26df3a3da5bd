/**
 * From parsed items to a plan: which entries will be written, which are duplicates of entries
 * already in the target vault, which are skipped and what could not be mapped. The preview shows
 * the plan; the import writes exactly its entries.
 */
import { ENTRY_KINDS, type EntryInput, type EntryKind, type ImportItemNote, type ImportPreview } from '../../shared/model.js';
import type { ParsedImport } from './import-item.js';
import { duplicateKey } from './vault-contents.js';

/** Lists in the preview stop here (the counts do not): a 10,000-item file must not make a 10,000-line answer. */
export const PREVIEW_LIST_CAP = 200;
const HOSTS_SHOWN = 10;

export type PlanSummary = Omit<ImportPreview, 'file' | 'target'>;

export interface ImportPlan {
  readonly summary: PlanSummary;
  readonly entries: readonly EntryInput[];
  readonly duplicatesSkipped: number;
}

function emptyByKind(): Record<EntryKind, number> {
  return Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
}

/** Hosts for /v1/fetch widen where a secret may go, so the person sees them before importing. */
function hostsNotice(entries: readonly EntryInput[]): string[] {
  const withHosts = entries.filter((e) => (e.allowedHosts?.length ?? 0) > 0);
  if (withHosts.length === 0) return [];
  const hosts = [...new Set(withHosts.flatMap((e) => e.allowedHosts ?? []))];
  const shown = hosts.slice(0, HOSTS_SHOWN).join(', ') + (hosts.length > HOSTS_SHOWN ? ', …' : '');
  return [`${withHosts.length} entries come with hosts that agents' /v1/fetch may send their secrets to: ${shown}.`];
}

export function planImport(parsed: ParsedImport, existing: ReadonlySet<string>, keepDuplicates: boolean): ImportPlan {
  const entries: EntryInput[] = [];
  const duplicates: ImportItemNote[] = [];
  const skipped: ImportItemNote[] = [];
  const notMapped: ImportItemNote[] = [];
  const byKind = emptyByKind();
  for (const item of parsed.items) {
    if (item.entry === undefined) {
      skipped.push({ where: item.where, title: item.title, reason: item.skipReason ?? 'not importable' });
      continue;
    }
    for (const reason of item.notMapped) notMapped.push({ where: item.where, title: item.title, reason });
    if (existing.has(duplicateKey(item.entry))) {
      duplicates.push({ where: item.where, title: item.title, reason: 'same title, username and first URL as an entry already in the vault' });
      if (!keepDuplicates) continue;
    }
    entries.push(item.entry);
    byKind[item.entry.kind] += 1;
  }
  const summary: PlanSummary = {
    format: parsed.format,
    itemsInFile: parsed.items.length,
    toImport: entries.length,
    byKind,
    duplicateCount: duplicates.length,
    duplicates: duplicates.slice(0, PREVIEW_LIST_CAP),
    skippedCount: skipped.length,
    skipped: skipped.slice(0, PREVIEW_LIST_CAP),
    notMappedCount: notMapped.length,
    notMapped: notMapped.slice(0, PREVIEW_LIST_CAP),
    general: [...parsed.general, ...hostsNotice(entries)],
  };
  return { summary, entries, duplicatesSkipped: keepDuplicates ? 0 : duplicates.length };
}
