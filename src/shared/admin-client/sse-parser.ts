/**
 * A small Server-Sent Events reader (the subset the engine writes: `event:`, `data:`, comments).
 * Fed decoded text in any chunking; returns the events completed by each chunk.
 */
export interface SseMessage {
  readonly type: string;
  readonly data: string;
}

/** An event this large is not one the engine sends; stop rather than buffer without end. */
const MAX_PENDING_CHARS = 8 * 1024 * 1024;

export function createSseParser(): (chunk: string) => SseMessage[] {
  let pending = '';
  return (chunk) => {
    const messages: SseMessage[] = [];
    // Normalise line ends; the engine sends bare \n, so a CRLF split across chunks never arises from it.
    pending += chunk.replace(/\r\n?/g, '\n');
    let end = pending.indexOf('\n\n');
    while (end !== -1) {
      const message = parseBlock(pending.slice(0, end));
      pending = pending.slice(end + 2);
      if (message !== undefined) messages.push(message);
      end = pending.indexOf('\n\n');
    }
    if (pending.length > MAX_PENDING_CHARS) throw new Error('event stream message too large');
    return messages;
  };
}

function parseBlock(block: string): SseMessage | undefined {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { type, data: data.join('\n') };
}
