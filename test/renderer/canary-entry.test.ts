import { describe, expect, it } from 'vitest';
import { validateEntryInput } from '../../src/core/vault/entry-validation.js';
import { CANARY_TITLE, canaryEntry } from '../../src/renderer/lib/canary-entry.js';

describe('the canary the vault wizard plants', () => {
  it('looks like AWS root keys, is marked a canary, and passes the engine’s checks', () => {
    const entry = canaryEntry('revoke');
    expect(entry.title).toBe(CANARY_TITLE);
    expect(entry.fields.username).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(entry.fields.password).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(validateEntryInput(entry).canary).toEqual({ onTrip: 'revoke' });
    expect(canaryEntry('pause').canary).toEqual({ onTrip: 'pause' });
  });

  it('makes new values every time', () => {
    expect(canaryEntry('revoke').fields.password).not.toBe(canaryEntry('revoke').fields.password);
  });
});
