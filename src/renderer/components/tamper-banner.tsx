import type { EngineStatus } from '../../shared/model.js';
import { tamperSummary } from '../lib/tamper-summary.js';

/** Rows changed outside Valetkey grant nothing; the person should know which, and act on them. */
export function TamperBanner({ status }: { readonly status: EngineStatus }) {
  const text = tamperSummary(status.tampered ?? []);
  if (text === undefined) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="tamper-banner">
      {text}
    </div>
  );
}
