/**
 * The agent client (sdk/js/src) throws the SDK's typed errors; the CLI and the MCP server report
 * VkErrors. One conversion, at their edges: the code stays, and so does the sentence (the engine's
 * own, or the client's for what it refused before sending).
 */
import { ValetkeyError } from '../../sdk/js/src/errors.js';
import { fromWire } from './errors.js';

export function fromClientError(e: unknown): unknown {
  if (!(e instanceof ValetkeyError)) return e;
  // An engine that does not answer in time is, for whoever waits, an engine that does not answer.
  const code = e.code === 'timeout' ? 'engine_unreachable' : e.code;
  return fromWire({ error: code, error_description: e.message });
}
