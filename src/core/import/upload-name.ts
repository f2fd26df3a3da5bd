/**
 * The name a browser or the desktop app gives a dropped file is only ever shown (in the preview,
 * in error details); the file on disk is named by a random id. Still, the name is tidied so it
 * cannot carry a path, control characters or text-direction tricks into what the person reads.
 */
import { VkError } from '../../shared/errors.js';

const MAX_NAME = 200;
// C0/C1 controls and the Unicode bidi overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The last path segment of `raw`, cleaned; throws invalid_request when nothing usable is left. */
export function uploadName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  const name = last.replace(UNSAFE, '').trim().slice(0, MAX_NAME);
  if (name === '' || name === '.' || name === '..') throw new VkError('invalid_request', 'the upload needs a file name');
  return name;
}

/** The `x-valetkey-filename` header: the name percent-encoded as UTF-8 (headers are not UTF-8). */
export function decodeUploadName(header: string | string[] | undefined): string {
  if (typeof header !== 'string') throw new VkError('invalid_request', 'send the file name, percent-encoded, in the x-valetkey-filename header');
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    throw new VkError('invalid_request', 'the x-valetkey-filename header is not percent-encoded UTF-8');
  }
  return uploadName(decoded);
}
