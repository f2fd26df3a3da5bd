/**
 * Test-only, for the unit files (vitest.config.ts `setupFiles`): Argon2id answers remembered within
 * one test process. Every in-process engine a test opens seals a key file, hashes the admin
 * passphrase and unlocks, and every grant verifies the passphrase: three to five Argon2id runs of a
 * quarter second each, repeated with the same inputs hundreds of times. A remembered answer is the
 * answer the real function gave for the same input (derive and verify are deterministic; a verifier
 * made once for a passphrase verifies it wherever it is stored), so behaviour is unchanged and only
 * the repeat cost goes. The first call for each input runs the real code (src/core/crypto/argon2id.ts);
 * the tests whose subject is Argon2id itself unmock it (`vi.unmock`), and the process files' engines
 * run it unremembered.
 */
import { vi } from 'vitest';

type Argon2idModule = typeof import('../../src/core/crypto/argon2id.js');

vi.mock(import('../../src/core/crypto/argon2id.js'), async (importOriginal) => {
  const real = await importOriginal();
  const keys = new Map<string, Uint8Array>();
  const verifiers = new Map<string, string>();
  const verdicts = new Map<string, boolean>();
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const memo: Argon2idModule = {
    ...real,
    // The caller wipes the key it gets: each gets a copy, and the real call a copy of the password.
    argon2idDerive: (job) =>
      remember(keys, [hex(job.password), hex(job.salt), job.bytes, job.opslimit, job.memlimit].join(':'), () =>
        real.argon2idDerive({ ...job, password: job.password.slice() }).slice(),
      ).slice(),
    argon2idHashString: (password, opslimit, memlimit) =>
      remember(verifiers, [password, opslimit, memlimit].join(':'), () => real.argon2idHashString(password, opslimit, memlimit)),
    argon2idVerifyString: (hash, password) => remember(verdicts, `${hash}\n${password}`, () => real.argon2idVerifyString(hash, password)),
  };
  return memo;
});

/** The answer kept under `key`, or the one `compute` gives, kept. */
function remember<T extends NonNullable<unknown>>(answers: Map<string, T>, key: string, compute: () => T): T {
  const kept = answers.get(key);
  if (kept !== undefined) return kept;
  const value = compute();
  answers.set(key, value);
  return value;
}
