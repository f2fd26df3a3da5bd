/** Building blocks of the schemas: the admin API's params and the agent endpoint's wire bodies. */
import { z } from 'zod';

/** An optional field; `null` counts as absent, as JSON senders often write it. */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);
}

/** A string that must say something: ids, paths, passphrases. */
export const text = z.string().min(1);

export const bool = z.boolean();

/** A finite number (JSON has no other); ranges that need state or say more are checked by the engine. */
export const num = z.number();

export const ids = z.array(text);

export const grantProof = z.union([z.object({ passphrase: z.string() }), z.object({ session: z.string() })], {
  error: 'must be { passphrase } or { session }',
});

/** Every grant method carries an optional proof that a person is there. */
export const granted = { grant: grantProof.optional() };

export const empty = z.object({});
export const grantedOnly = z.object(granted);
