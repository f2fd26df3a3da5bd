import type { ReactNode } from 'react';
import { toVkError } from '../lib/vk-error.js';

/** An error as the person should read it: what happened and what to do (the engine's description). */
export function ErrorNotice({ error, onRetry, testId = 'error' }: { readonly error: unknown; readonly onRetry?: () => void; readonly testId?: string }) {
  const e = toVkError(error);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={e.code}>
      <p>{e.message}</p>
      <p className="muted small">
        Error code <code>{e.code}</code>
        {onRetry && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={onRetry}>
              Try again
            </button>
          </>
        )}
      </p>
    </div>
  );
}

export function EmptyState({ title, children, testId }: { readonly title: string; readonly children?: ReactNode; readonly testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <p className="muted loading" role="status">
      {label}
    </p>
  );
}
