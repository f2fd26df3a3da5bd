import type { ApprovalSetting, TokenApproval } from '../../shared/model.js';

/** A vault's (or token's) approval setting in words. */
export function describeApproval(setting: ApprovalSetting): string {
  switch (setting.mode) {
    case 'none':
      return 'No approval needed';
    case 'every_access':
      return 'Asks you on every access';
    case 'once_per_token':
      return `Asks once per agent, then allows it for ${setting.minutes ?? 0} min`;
  }
}

export function describeTokenApproval(approval: TokenApproval): string {
  return approval === 'vault' ? 'Follows each vault’s setting' : describeApproval(approval);
}
