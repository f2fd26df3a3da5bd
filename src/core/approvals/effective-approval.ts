import type { ApprovalMode, ApprovalSetting, TokenApproval } from '../../shared/model.js';

// Higher is stricter. A token may tighten its vaults' settings, never loosen them.
const STRICTNESS = { none: 0, once_per_token: 1, every_access: 2 } as const satisfies Record<ApprovalMode, number>;

/**
 * The setting that applies to one token reading one vault: the stricter of the two.
 * every_access > once_per_token (fewer minutes is stricter) > none. `'vault'` defers to the vault.
 */
export function effectiveApproval(vault: ApprovalSetting, token: TokenApproval): ApprovalSetting {
  if (token === 'vault') return normalise(vault);
  const a = normalise(vault);
  const b = normalise(token);
  if (STRICTNESS[a.mode] !== STRICTNESS[b.mode]) return STRICTNESS[a.mode] > STRICTNESS[b.mode] ? a : b;
  if (a.mode !== 'once_per_token') return a;
  return (a.minutes ?? 0) <= (b.minutes ?? 0) ? a : b;
}

/**
 * A once_per_token setting without a usable minutes value, or a mode this build does not know
 * (a corrupt row), is treated as every_access: asking each time is the safe reading.
 */
function normalise(setting: ApprovalSetting): ApprovalSetting {
  switch (setting.mode) {
    case 'none':
      return { mode: 'none' };
    case 'every_access':
      return { mode: 'every_access' };
    case 'once_per_token': {
      const m = setting.minutes;
      if (m === undefined || !Number.isInteger(m) || m < 1) return { mode: 'every_access' };
      return { mode: 'once_per_token', minutes: m };
    }
    default:
      return { mode: 'every_access' };
  }
}
