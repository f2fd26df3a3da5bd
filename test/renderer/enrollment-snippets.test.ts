import { describe, expect, it } from 'vitest';
import { encodeVkSegment, enrollmentSnippets, exampleRef, fieldRef, SNIPPET_KINDS } from '../../src/renderer/lib/enrollment-snippets.js';

const CODE = 'vke_AbCdEfGhIjKlMnOpQrStUvWxYz012345';

describe('enrollmentSnippets', () => {
  const s = enrollmentSnippets(CODE, 'Work');

  it('gives the shell form the CLI accepts', () => {
    expect(s.shell.split('\n')[0]).toBe(`valetkey login --enroll ${CODE}`);
    expect(s.shell.split('\n')[1]).toMatch(/^valetkey read "vk:\/\/Work\/<Entry>\/password" --reason ".+"$/);
  });

  it('gives the TypeScript SDK form', () => {
    expect(s.typescript).toContain("import { Valetkey } from '@valetkey/sdk';");
    expect(s.typescript).toMatch(new RegExp(`const vk = await Valetkey\\.connect\\(\\{ enrollCode: '${CODE}', reason: '[^']+' \\}\\);`));
    expect(s.typescript).toContain("await vk.read('vk://Work/<Entry>/password');");
  });

  it('gives the Python SDK form', () => {
    expect(s.python).toContain('from valetkey import Valetkey');
    expect(s.python).toMatch(new RegExp(`vk = Valetkey\\.connect\\(enroll_code="${CODE}", reason="[^"]+"\\)`));
    expect(s.python).toContain('vk.read("vk://Work/<Entry>/password")');
  });

  it('gives an MCP client configuration that parses to the agreed shape', () => {
    expect(JSON.parse(s.mcp)).toEqual({ mcpServers: { valetkey: { command: 'npx', args: ['valetkey', 'mcp'], env: { VALETKEY_ENROLL_CODE: CODE } } } });
  });
});

describe('vault names in the example reference', () => {
  it('uses a placeholder when no vault is known', () => {
    expect(exampleRef()).toBe('vk://<Vault>/<Entry>/password');
  });

  it('percent-encodes what would break the reference or the snippet’s quotes', () => {
    const name = `Bob's "team"/a b?#%$\`\\x`;
    const encoded = encodeVkSegment(name);
    expect(encoded).not.toMatch(/[/?#' "`$\\]/);
    expect(decodeURIComponent(encoded)).toBe(name);
    const s = enrollmentSnippets(CODE, name);
    expect(s.shell.split('\n')[1]?.match(/"/g)).toHaveLength(4);
    expect(s.typescript.split('\n')[2]?.match(/'/g)).toHaveLength(2);
  });
});

describe('fieldRef', () => {
  it('names a field the way the engine reads it, encoding what a segment may not hold', () => {
    expect(fieldRef('Accounting', 'Bank', 'password')).toBe('vk://Accounting/Bank/password');
    expect(fieldRef('Ops & Co', 'Stripe / live', 'api_key')).toBe('vk://Ops%20&%20Co/Stripe%20%2F%20live/api_key');
    expect(fieldRef('Ops', 'AWS', 'custom:Region name')).toBe('vk://Ops/AWS/custom:Region%20name');
  });
});

describe('the tool snippets in the wizard', () => {
  it('every tab has a snippet that starts by redeeming the code, naming the vault\'s own hosts', () => {
    const s = enrollmentSnippets(CODE, 'Ops', undefined, 'coder', { gitHost: 'github.com', proxyHost: 'api.stripe.com', sshKey: true });
    for (const kind of SNIPPET_KINDS.filter((k) => k !== 'typescript' && k !== 'python' && k !== 'mcp')) expect(s[kind].split('\n')[0]).toBe(`valetkey login --enroll ${CODE}`);
    expect(s.git).toContain('git config --global credential.helper valetkey');
    expect(s.git).toContain("host=github.com\\n");
    expect(s.ssh.split('\n')[1]).toMatch(/^valetkey ssh-agent --reason ".+" -- ssh-add -L$/);
    expect(s.proxy.split('\n')[1]).toMatch(/^valetkey run --proxy --reason ".+" -- curl -sS https:\/\/api\.stripe\.com\/$/);
  });
});
