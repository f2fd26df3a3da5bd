/**
 * The enrollment snippets shown once after a token is created. Their forms are fixed: the
 * agent-side tools (CLI, SDKs, MCP server, git helper, ssh-agent, proxy) are built to accept exactly these.
 */
import { toolSnippets, type ToolExamples, type ToolSnippets } from './tool-snippets.js';

export interface EnrollmentSnippets extends ToolSnippets {
  readonly shell: string;
  readonly typescript: string;
  readonly python: string;
  readonly mcp: string;
}

export const SNIPPET_KINDS = ['shell', 'typescript', 'python', 'mcp', 'git', 'ssh', 'proxy'] as const satisfies readonly (keyof EnrollmentSnippets)[];
export type SnippetKind = (typeof SNIPPET_KINDS)[number];

export const SNIPPET_LABELS: Readonly<Record<SnippetKind, string>> = {
  shell: 'Shell',
  typescript: 'TypeScript',
  python: 'Python',
  mcp: 'MCP client',
  git: 'git (HTTPS)',
  ssh: 'SSH agent',
  proxy: 'HTTPS proxy',
};

const REASON = 'why the agent needs it';

/**
 * Percent-encodes what a vk:// segment may not hold as is (see the engine's vk-ref parser), and
 * quotes, `$`, backquotes and backslashes too, so a vault name cannot break a snippet's quoting.
 */
export function encodeVkSegment(segment: string): string {
  return segment.replace(/[%/?# '"`$\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A real field of the token's vaults, so the snippet runs as shown. */
export interface SnippetExample {
  readonly entryTitle: string;
  readonly field: string;
}

/**
 * The reference the snippets read: a real entry and field when one is known, else
 * `vk://<vault>/<Entry>/password` for the agent's author to fill in.
 */
export function exampleRef(vaultName?: string, example?: SnippetExample): string {
  const vault = vaultName === undefined || vaultName === '' ? '<Vault>' : encodeVkSegment(vaultName);
  if (example !== undefined && vaultName !== undefined && vaultName !== '') return fieldRef(vaultName, example.entryTitle, example.field);
  return `vk://${vault}/<Entry>/password`;
}

/** The field a snippet reads: a secret one when the entry has one, else the first. */
export function preferredField(fieldNames: readonly string[]): string | undefined {
  return ['password', 'api_key'].find((f) => fieldNames.includes(f)) ?? fieldNames[0];
}

/** The reference an agent uses for one field of an entry, e.g. `vk://Accounting/Bank/password` or `…/custom:Region`. */
export function fieldRef(vaultName: string, entryTitle: string, field: string): string {
  const custom = field.startsWith('custom:');
  const name = custom ? `custom:${encodeVkSegment(field.slice('custom:'.length))}` : field;
  return `vk://${encodeVkSegment(vaultName)}/${encodeVkSegment(entryTitle)}/${name}`;
}

export function enrollmentSnippets(code: string, vaultName?: string, example?: SnippetExample, agentName?: string, tools: ToolExamples = {}): EnrollmentSnippets {
  const ref = exampleRef(vaultName, example);
  const env = { VALETKEY_ENROLL_CODE: code, ...(agentName === undefined ? {} : { VALETKEY_AGENT_NAME: agentName }) };
  const mcpConfig = { mcpServers: { valetkey: { command: 'npx', args: ['valetkey', 'mcp'], env } } };
  return {
    shell: [`valetkey login --enroll ${code}`, `valetkey read "${ref}" --reason "${REASON}"`].join('\n'),
    typescript: [
      "import { Valetkey } from '@valetkey/sdk';",
      `const vk = await Valetkey.connect({ enrollCode: '${code}', reason: '${REASON}' });`,
      `await vk.read('${ref}');`,
    ].join('\n'),
    python: [
      'from valetkey import Valetkey',
      `vk = Valetkey.connect(enroll_code="${code}", reason="${REASON}")`,
      `vk.read("${ref}")`,
    ].join('\n'),
    mcp: JSON.stringify(mcpConfig, null, 2),
    ...toolSnippets(code, tools),
  };
}
