import { ErrorNotice } from './error-notice.js';

/** A dialog form's last lines: the error if the request failed, then Cancel and the submit button. */
export function DialogActions(props: {
  readonly error: unknown;
  readonly busy: boolean;
  readonly onCancel: () => void;
  readonly label: string;
  readonly busyLabel: string;
  readonly testId: string;
  readonly disabled?: boolean;
  readonly cancelLabel?: string;
  readonly cancelTestId?: string;
  readonly errorTestId?: string;
}) {
  return (
    <>
      {props.error !== undefined && <ErrorNotice error={props.error} testId={props.errorTestId} />}
      <div className="actions">
        <button type="button" onClick={props.onCancel} data-testid={props.cancelTestId}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        <button type="submit" className="primary" disabled={props.busy || props.disabled === true} data-testid={props.testId}>
          {props.busy ? props.busyLabel : props.label}
        </button>
      </div>
    </>
  );
}

/** What the form's own checks found, before anything is sent. */
export function ProblemList({ problems, testId }: { readonly problems: readonly string[]; readonly testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="notice notice-error" role="alert" data-testid={testId}>
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

/** The admin passphrase, asked for to prove a person is here (unlock, grant). */
export function AdminPassphraseField({ value, onChange, testId }: { readonly value: string; readonly onChange: (value: string) => void; readonly testId: string }) {
  return (
    <label className="field">
      <span>Admin passphrase</span>
      <input type="password" autoComplete="current-password" value={value} onChange={(e) => onChange(e.target.value)} required autoFocus data-testid={testId} />
    </label>
  );
}

/** A new passphrase typed twice; says so under them when the two differ. */
export function NewPassphraseFields(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly again: string;
  readonly onAgain: (value: string) => void;
  readonly mismatchText: string;
  readonly testIds: readonly [string, string];
  readonly minLength?: number;
}) {
  const mismatch = props.again !== '' && props.again !== props.value;
  return (
    <>
      <div className="row">
        <label className="field grow">
          <span>{props.label}</span>
          <input type="password" autoComplete="new-password" value={props.value} minLength={props.minLength} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testIds[0]} />
        </label>
        <label className="field grow">
          <span>Again</span>
          <input type="password" autoComplete="new-password" value={props.again} onChange={(e) => props.onAgain(e.target.value)} aria-invalid={mismatch} data-testid={props.testIds[1]} />
        </label>
      </div>
      {mismatch && <p className="notice notice-error">{props.mismatchText}</p>}
    </>
  );
}

/** A select over a fixed list of choices, each shown by its label. */
export function ChoiceSelect<T extends string>(props: {
  readonly value: T;
  readonly choices: readonly T[];
  readonly label: (choice: T) => string;
  readonly onChange: (choice: T) => void;
  readonly testId?: string;
}) {
  return (
    <select value={props.value} onChange={(e) => props.onChange(props.choices.find((c) => c === e.target.value) ?? props.value)} data-testid={props.testId}>
      {props.choices.map((c) => (
        <option key={c} value={c}>
          {props.label(c)}
        </option>
      ))}
    </select>
  );
}

/** A select over the vaults by name; its first choice (value '') means none of them. */
export function VaultSelect(props: {
  readonly value: string;
  readonly vaults: readonly { readonly id: string; readonly name: string }[];
  readonly noneLabel: string;
  readonly onChange: (vaultId: string) => void;
  readonly testId: string;
}) {
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
      <option value="">{props.noneLabel}</option>
      {props.vaults.map((v) => (
        <option key={v.id} value={v.id}>
          {v.name}
        </option>
      ))}
    </select>
  );
}
