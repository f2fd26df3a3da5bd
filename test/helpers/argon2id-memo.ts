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
    argon2idDerive: (job) => {
      const key = [hex(job.password), hex(job.salt), job.bytes, job.opslimit, job.memlimit].join(':');
      let value = keys.get(key);
      if (value === undefined) {
        value = real.argon2idDerive({ ...job, password: job.password.slice() }).slice();
        keys.set(key, value);
      }
      // The caller wipes what it gets: hand out a copy.
      return value.slice();
    },
    argon2idHashString: (password, opslimit, memlimit) => {
      const key = [password, opslimit, memlimit].join(':');
      const value = verifiers.get(key) ?? real.argon2idHashString(password, opslimit, memlimit);
      verifiers.set(key, value);
      return value;
    },
    argon2idVerifyString: (hash, password) => {
      const key = `${hash}\n${password}`;
      const value = verdicts.get(key) ?? real.argon2idVerifyString(hash, password);
      verdicts.set(key, value);
      return value;
    },
  };
  return memo;
});
