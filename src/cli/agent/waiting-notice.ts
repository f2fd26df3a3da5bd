/**
 * "Waiting for approval" on stderr while a read or fetch is held by the engine, so an agent's
 * terminal is not silent while a person decides. The agent cannot know in advance which vaults
 * need a person (their settings may change), so the notice appears once an answer is slow.
 */
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../core/approvals/approval-broker.js';

/** Long enough that ordinary reads stay quiet; short enough that a waiting person's agent says so at once. */
const QUIET_MS = 1_000;

/** "Personal, GitHub" for vk://Personal/GitHub/api_key; several references joined with "; ". */
export function describeRefs(refs: readonly string[]): string {
  const parts = refs.map((ref) => {
    const path = ref.replace(/^vk:\/\//, '').split('?')[0] ?? '';
    const [vault, entry] = path.split('/').map((p) => safeDecode(p));
    return [vault, entry].filter((x) => x !== undefined && x !== '').join(', ');
  });
  return [...new Set(parts)].join('; ');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export async function withWaitingNotice<T>(what: string, err: (line: string) => void, work: Promise<T>): Promise<T> {
  const seconds = Math.round(DEFAULT_APPROVAL_TIMEOUT_MS / 1000);
  const timer = setTimeout(() => err(`valetkey: waiting for approval in Valetkey (${what}; up to ${seconds} s)…`), QUIET_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
