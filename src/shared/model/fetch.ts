/** Use without exposure: POST /v1/fetch. */

/** The HTTP request an agent asks the engine to send, with `{{vk://vault/entry/field}}` placeholders. */
export interface FetchRequestInput {
  /** GET (default), HEAD, POST, PUT, PATCH, DELETE or OPTIONS. */
  readonly method?: string;
  /** https://host/path?query (http only to loopback); placeholders only in the path and query. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; an object or array is sent as JSON, placeholders JSON-escaped. */
  readonly body?: string | Readonly<Record<string, unknown>> | readonly unknown[];
}

/** The target's answer: the SDK's type for the same wire body (type only, no runtime import). */
export type { UseResponse as FetchAnswer } from '../../../sdk/js/src/valetkey.js';
