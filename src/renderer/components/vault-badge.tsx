import { isVaultIcon, safeColour, VAULT_ICONS } from '../lib/vault-icons.js';

/** The vault's colour and icon, as SVG presentation attributes (no inline style: the CSP forbids it). */
export function VaultBadge({ icon, colour, name, size = 28 }: { readonly icon: string; readonly colour: string; readonly name: string; readonly size?: number }) {
  return (
    <svg className="vault-badge" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill={safeColour(colour)} />
      {isVaultIcon(icon) ? (
        <g transform="translate(4 4)" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          {VAULT_ICONS[icon].map((d) => (
            <path key={d} d={d} />
          ))}
        </g>
      ) : (
        <text x="16" y="21" textAnchor="middle" fontSize="15" fontWeight="600" fill="#fff">
          {name.trim().charAt(0).toUpperCase() || '?'}
        </text>
      )}
    </svg>
  );
}
