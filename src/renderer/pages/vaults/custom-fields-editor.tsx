import type { CustomField } from '../../../shared/model.js';

/** Rows of name / value / hidden; a hidden field's value is masked like a password. */
export function CustomFieldsEditor({ fields, onChange }: { readonly fields: readonly CustomField[]; readonly onChange: (fields: readonly CustomField[]) => void }) {
  const update = (i: number, changes: Partial<CustomField>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...changes } : f)));
  return (
    <fieldset className="custom-fields">
      <legend>Custom fields</legend>
      {fields.length === 0 && <p className="muted small">None. Add one for anything else the entry needs (a region, an account id, a second key).</p>}
      {fields.map((f, i) => (
        <div className="custom-row" key={i}>
          <input aria-label={`Custom field ${i + 1} name`} placeholder="Name" value={f.name} onChange={(e) => update(i, { name: e.target.value })} data-testid={`custom-name-${i}`} />
          <input
            aria-label={`Custom field ${i + 1} value`}
            placeholder="Value"
            type={f.hidden ? 'password' : 'text'}
            autoComplete="off"
            value={f.value}
            onChange={(e) => update(i, { value: e.target.value })}
            data-testid={`custom-value-${i}`}
          />
          <label className="inline">
            <input type="checkbox" checked={f.hidden} onChange={(e) => update(i, { hidden: e.target.checked })} data-testid={`custom-hidden-${i}`} />
            Hidden
          </label>
          <button type="button" className="button-small" aria-label={`Remove custom field ${i + 1}`} onClick={() => onChange(fields.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button-small" onClick={() => onChange([...fields, { name: '', value: '', hidden: false }])} data-testid="custom-add">
        Add a field
      </button>
    </fieldset>
  );
}
