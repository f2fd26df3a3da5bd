/** The checks the engine and the dashboard's forms share: sentences for people, limits stated, nothing cut. */
import { describe, expect, it } from 'vitest';
import { allowedHostProblem, nameProblem, retentionLimitProblem, streamHostProblem } from '../../src/shared/field-checks.js';
import { VkError } from '../../src/shared/errors.js';
import { validateVaultInput } from '../../src/core/vault/vault-validation.js';
import { checkSinkConfig } from '../../src/core/audit-out/sink-config.js';
import { checkRetentionPolicy } from '../../src/core/audit-out/retention-policy.js';

function descriptionOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(VkError);
    expect((e as VkError).code).toBe('invalid_request');
    return (e as VkError).toJSON().error_description;
  }
  throw new Error('accepted');
}

describe('field checks', () => {
  it('tells an empty name from one of only spaces, and states the limit of an over-long one', () => {
    expect(nameProblem('', 'The vault name', 100)).toBe('The vault name is empty; give one.');
    expect(nameProblem('   ', 'The vault name', 100)).toMatch(/^The vault name is only spaces/);
    expect(nameProblem('x'.repeat(101), 'The vault name', 100)).toMatch(/101 characters long; the most is 100/);
    expect(nameProblem('x'.repeat(100), 'The vault name', 100)).toBeUndefined();
    expect(nameProblem('a\tb', 'The title', 200)).toMatch(/control character/);
  });

  it('explains a host written as a URL, with a path or with a bad port', () => {
    expect(allowedHostProblem('https://api.example.com/v1', 'Allowed host 1')).toMatch(/written as a web address.*api\.example\.com/);
    expect(allowedHostProblem('api.example.com/v1', 'Allowed host 2')).toMatch(/^Allowed host 2 has a path/);
    expect(allowedHostProblem('api.example.com:99999', 'Allowed host 1')).toMatch(/port outside 1 to 65535/);
    expect(allowedHostProblem('API.example.com:8443', 'Allowed host 1')).toBeUndefined();
    expect(allowedHostProblem('[::1]:8080', 'Allowed host 1')).toBeUndefined();
    expect(allowedHostProblem('[nope]', 'Allowed host 1')).toMatch(/not a host name/);
  });

  it('explains a stream host with a scheme and a retention outside its range', () => {
    expect(streamHostProblem('tcp://logs.example.com')).toMatch(/scheme; give only the host name/);
    expect(streamHostProblem('logs.example.com')).toBeUndefined();
    expect(retentionLimitProblem(0, 'The number of days to keep', 36_500)).toBe('The number of days to keep must be a whole number from 1 to 36,500, or left empty for no limit.');
    expect(retentionLimitProblem(null, 'x', 1)).toBeUndefined();
  });
});

describe('the engine says the same, as a sentence (not "check the JSON body")', () => {
  it.each([
    ['a vault name of only spaces', () => validateVaultInput({ name: '   ' }), 'The vault name is only spaces; give one with letters or digits.'],
    ['an over-long vault name', () => validateVaultInput({ name: 'v'.repeat(150) }), 'The vault name is 150 characters long; the most is 100. Shorten it (nothing is cut off for you).'],
    ['a stream host with a scheme', () => checkSinkConfig({ kind: 'syslog', transport: 'tcp', host: 'syslog://logs.example.com', port: 514 }), streamHostProblem('syslog://x')],
    ['retention days out of range', () => checkRetentionPolicy({ keepDays: 50_000 }), retentionLimitProblem(50_000, 'The number of days to keep', 36_500)],
  ])('%s', (_what, run, expected) => {
    const description = descriptionOf(run);
    expect(description).toBe(expected);
    expect(description).not.toMatch(/malformed|JSON body|docs\/tokens/);
  });
});
