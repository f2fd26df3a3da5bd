/**
 * The canary the vault wizard plants: an entry no honest agent has a reason to touch, with a
 * title and values that look worth stealing. The values are random and work nowhere.
 */
import type { CanaryTrip, EntryInput } from '../../shared/model.js';

export const CANARY_TITLE = 'AWS root (backup)';

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomFrom(alphabet: string, length: number, random: (n: number) => Uint8Array): string {
  return [...random(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

const cryptoRandom = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** An access key id and secret shaped like AWS's (AKIA + 16, 40 characters), random each time. */
export function canaryEntry(onTrip: CanaryTrip, random: (n: number) => Uint8Array = cryptoRandom): EntryInput {
  return {
    title: CANARY_TITLE,
    kind: 'login',
    fields: {
      username: `AKIA${randomFrom(UPPER_DIGITS, 16, random)}`,
      password: randomFrom(SECRET_CHARS, 40, random),
      urls: ['https://console.aws.amazon.com/'],
      notes: 'Root access keys. Break-glass only.',
    },
    canary: { onTrip },
  };
}
