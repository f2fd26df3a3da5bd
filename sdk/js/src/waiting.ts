/**
 * "Waiting for approval" while the engine holds a read or use() for a person, so an agent's
 * terminal is not silent meanwhile. The agent cannot know in advance which vaults ask a person
 * (settings change), so it speaks up once an answer is slow. The `valetkey` CLI prints this same
 * notice through it.
 */

export interface WaitingInfo {
  /** The `vk://` references the held request names. */
  readonly refs: readonly string[];
  /** "Personal, GitHub": the vaults and entries, for people. */
  readonly what: string;
  /** How long the engine holds a request for a person at most. */
  readonly upToSeconds: number;
  /** The sentence the default prints: "waiting for approval in Valetkey (Personal, GitHub; up to 120 s)…". */
  readonly message: string;
}

/** Called once per held request; `null` turns the notice off. */
export type OnWaiting = ((info: WaitingInfo) => void) | null;

/** Long enough that ordinary reads stay quiet; short enough that a waiting person's agent says so at once. */
export const QUIET_MS = 1_000;
/** The engine's approval timeout (its DEFAULT_APPROVAL_TIMEOUT_MS; a test keeps the two equal). */
export const APPROVAL_TIMEOUT_S = 120;

/** The default: to stderr, never stdout (which may be a pipe of data), worded like the CLI. */
export function printWaiting(info: WaitingInfo): void {
  process.stderr.write(`valetkey: ${info.message}\n`);
}

/** "Personal, GitHub" for vk://Personal/GitHub/api_key; several references joined with "; ". */
export function describeRefs(refs: readonly string[]): string {
  const parts = refs.map((ref) => {
    const path = ref.replace(/^vk:\/\//, '').split('?')[0] ?? '';
    const [vault, entry] = path.split('/').map((p) => safeDecode(p));
    return [vault, entry].filter((x) => x !== undefined && x !== '').join(', ');
  });
  return [...new Set(parts)].join('; ');
}

/** The `vk://` references inside `{{...}}` placeholders of a use() request (the engine's own pattern). */
export function placeholderRefs(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(vk:\/\/[^\s{}]+)\s*\}\}/g)].map((m) => m[1] ?? ''))];
}

export async function withWaitingNotice<T>(refs: readonly string[], onWaiting: OnWaiting, work: Promise<T>): Promise<T> {
  if (onWaiting === null) return work;
  const what = describeRefs(refs);
  const info: WaitingInfo = { refs, what, upToSeconds: APPROVAL_TIMEOUT_S, message: `waiting for approval in Valetkey (${what}; up to ${APPROVAL_TIMEOUT_S} s)…` };
  const timer = setTimeout(() => onWaiting(info), QUIET_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
