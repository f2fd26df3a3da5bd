import type { VaultInfo } from '../../../shared/model.js';

/** Checkboxes for choosing vaults (backup, export). */
export function VaultPicker({
  vaults,
  chosen,
  onChange,
  testId,
}: {
  readonly vaults: readonly VaultInfo[];
  readonly chosen: readonly string[];
  readonly onChange: (ids: readonly string[]) => void;
  readonly testId: string;
}) {
  return (
    <fieldset className="choices">
      <legend>Vaults</legend>
      {vaults.map((v) => (
        <label key={v.id} className="inline">
          <input
            type="checkbox"
            checked={chosen.includes(v.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, v.id] : chosen.filter((id) => id !== v.id))}
            data-testid={testId}
            data-vault-name={v.name}
          />
          {v.name}
        </label>
      ))}
    </fieldset>
  );
}
