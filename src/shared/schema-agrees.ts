/**
 * Compile-time agreement between a zod schema and the TypeScript type a client builds: the admin
 * API's params and the agent endpoint's wire bodies each prove theirs with it. Types only: importing
 * this loads no zod.
 */
import type { z } from 'zod';

/** Every dotted field path of a type, through arrays and across union members. */
type Paths<T> = T extends readonly (infer E)[]
  ? Paths<E>
  : T extends object
    ? string extends keyof T
      ? never
      : { [K in keyof T & string]-?: K | `${K}.${Paths<NonNullable<T[K]>>}` }[keyof T & string]
    : never;

/** True when the schema's output is a valid `P` and names exactly the fields `P` names. */
export type Agrees<S extends z.ZodType, P> = [z.output<S>] extends [P]
  ? [Paths<P>] extends [Paths<z.output<S>>]
    ? [Paths<z.output<S>>] extends [Paths<P>]
      ? true
      : { readonly extraInSchema: Exclude<Paths<z.output<S>>, Paths<P>> }
    : { readonly missingFromSchema: Exclude<Paths<P>, Paths<z.output<S>>> }
  : { readonly outputIsNot: P };
