/**
 * The token wizard's snippets for tools that know nothing of vk:// (README, "Tools an agent runs"):
 * git over HTTPS through the credential helper, SSH through `valetkey ssh-agent`, and any HTTPS
 * client through `valetkey run --proxy`. Each first line redeems the code; the next one runs as
 * shown against what the token's vault holds, and a comment says how to use it every day.
 */

/** What the token's vault holds that these snippets can name, so each runs as shown. */
export interface ToolExamples {
  /** An allowed host of an entry with a password or API key: git asks the helper for it (a read). */
  readonly gitHost?: string;
  /** The vault holds an SSH key entry. */
  readonly sshKey?: boolean;
  /** An allowed host of an entry the proxy puts in (it has an injection setting). */
  readonly proxyHost?: string;
}

export interface ToolSnippets {
  readonly git: string;
  readonly ssh: string;
  readonly proxy: string;
}

const REASON = 'why the agent needs it';

/** Allowed hosts are validated by the engine; anything else still never reaches the shell unquoted. */
function hostOr(host: string | undefined, placeholder: string): string {
  return host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? host : placeholder;
}

export function toolSnippets(code: string, tools: ToolExamples): ToolSnippets {
  const login = `valetkey login --enroll ${code}`;
  const gitHost = hostOr(tools.gitHost, '<git host>');
  const proxyHost = hostOr(tools.proxyHost, '<api host>');
  return {
    git: [
      login,
      'git config --global credential.helper valetkey',
      `# check: git gets the login allowed for ${gitHost} (the token needs read on that entry)`,
      `printf 'protocol=https\\nhost=${gitHost}\\n\\n' | VALETKEY_REASON="${REASON}" git credential fill | grep '^username='`,
      `# then, every time: VALETKEY_REASON="${REASON}" git push`,
    ].join('\n'),
    ssh: [
      login,
      `valetkey ssh-agent --reason "${REASON}" -- ssh-add -L`,
      `# then: valetkey ssh-agent --reason "${REASON}" -- git push   (or -- ssh user@host, or -- bash for a whole session)`,
      ...(tools.sshKey === true ? [] : ['# (the vault has no SSH key entry yet: add one under Vaults, kind SSH key)']),
    ].join('\n'),
    proxy: [
      login,
      `valetkey run --proxy --reason "${REASON}" -- curl -sS https://${proxyHost}/`,
      `# the same for gh, Python (requests, urllib) or a whole session: valetkey run --proxy --reason "${REASON}" -- bash`,
    ].join('\n'),
  };
}
