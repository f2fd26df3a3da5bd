/** Checks a vault's settings and fills in defaults; details name the field and the fix. */
import { APPROVAL_MODES, type ApprovalSetting, type VaultInput } from '../../shared/model.js';
import { MAX_VAULT_NAME_CHARS } from '../../shared/field-checks.js';
import { MAX_APPROVAL_MINUTES } from '../../shared/admin-schemas/limits.js';
import { invalid, requireName } from './input-checks.js';

export { MAX_VAULT_NAME_CHARS };

export const MAX_ICON_CHARS = 50;

/** What is sealed in `vaults.sealed_meta`. */
export interface VaultMeta {
  readonly name: string;
  readonly icon: string;
  readonly colour: string;
  readonly approval: ApprovalSetting;
}

export const VAULT_DEFAULTS = { icon: 'key', colour: '#4f6bed', approval: { mode: 'none' } } as const;

function validateColour(value: unknown): string {
  // Only #rrggbb: the colour ends up in CSS, so nothing else may get through.
  if (typeof value !== 'string' || !/^#[0-9a-f]{6}$/i.test(value)) throw invalid('colour must be #rrggbb, e.g. #4f6bed');
  return value.toLowerCase();
}

export function validateApproval(value: unknown): ApprovalSetting {
  if (typeof value !== 'object' || value === null) throw invalid('approval must be an object with a mode');
  const { mode, minutes } = value as { mode?: unknown; minutes?: unknown };
  const found = APPROVAL_MODES.find((m) => m === mode);
  if (found === undefined) throw invalid(`approval.mode must be one of ${APPROVAL_MODES.join(', ')}`);
  if (found !== 'once_per_token') {
    if (minutes !== undefined) throw invalid('approval.minutes is only for mode once_per_token; leave it out');
    return { mode: found };
  }
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_APPROVAL_MINUTES) {
    throw invalid(`approval.minutes must be a whole number from 1 to ${MAX_APPROVAL_MINUTES} for mode once_per_token`);
  }
  return { mode: found, minutes };
}

/** A full, valid vault meta from an input (defaults for what it leaves out). */
export function validateVaultInput(input: VaultInput): VaultMeta {
  if (typeof input !== 'object' || input === null) throw invalid('the vault must be an object with a name');
  return {
    name: requireName(input.name, 'The vault name', MAX_VAULT_NAME_CHARS),
    icon: requireName(input.icon ?? VAULT_DEFAULTS.icon, 'The icon', MAX_ICON_CHARS),
    colour: validateColour(input.colour ?? VAULT_DEFAULTS.colour),
    approval: validateApproval(input.approval ?? VAULT_DEFAULTS.approval),
  };
}
