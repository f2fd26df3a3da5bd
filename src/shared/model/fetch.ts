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

/** The target's answer, every substituted value (and its encoded forms) replaced by `[REDACTED:vk://…]`. */
export interface FetchAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** UTF-8 text, or base64 when the body is not valid UTF-8. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** How many occurrences were replaced, in headers and body. */
  readonly redactions: number;
}
