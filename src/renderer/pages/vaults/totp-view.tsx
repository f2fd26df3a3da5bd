import { useState } from 'react';
import { admin } from '../../api/admin.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useNow } from '../../hooks/use-now.js';

interface Shown {
  readonly code: string;
  readonly until: number;
  readonly period: number;
}

/**
 * The entry's current one-time code, with a countdown. Each code shown is audited, so the page
 * asks for the next one only when the person clicks, rather than refreshing on its own.
 */
export function TotpView({ vaultId, entryId }: { readonly vaultId: string; readonly entryId: string }) {
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const now = useNow(500);

  const show = async () => {
    setError(undefined);
    try {
      const { code, expiresInSeconds } = await admin.totpCode({ vaultId, entryId });
      setShown({ code, until: Date.now() + expiresInSeconds * 1000, period: Math.max(30, expiresInSeconds) });
    } catch (e) {
      setError(e);
    }
  };

  const left = shown === undefined ? 0 : Math.max(0, Math.ceil((shown.until - now) / 1000));
  return (
    <div className="totp" data-testid="totp">
      <span className="field-name">One-time code</span>
      {shown !== undefined && left > 0 ? (
        <span className="row">
          <code className="totp-code" data-testid="totp-code">
            {shown.code.replace(/^(\d{3})(\d{3})$/, '$1 $2')}
          </code>
          <meter className="totp-meter" min={0} max={shown.period} value={left} aria-label="Seconds left" title={`${left} s left`} />
          <span className="muted small" data-testid="totp-left">
            {left} s
          </span>
          <CopyButton value={shown.code} secret testId="totp-copy" />
        </span>
      ) : (
        <button type="button" className="button-small" onClick={() => void show()} data-testid="totp-show">
          {shown === undefined ? 'Show code' : 'Show new code'}
        </button>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  );
}
