import type { ReactNode } from 'react';
import type { Loaded } from '../hooks/use-admin-data.js';
import { ErrorNotice, Loading } from './error-notice.js';

/** Renders loading, the error (with a retry), or the value. */
export function LoadedView<T>({ data, onRetry, children }: { readonly data: Loaded<T>; readonly onRetry?: () => void; readonly children: (value: T) => ReactNode }) {
  switch (data.state) {
    case 'loading':
      return <Loading />;
    case 'error':
      return <ErrorNotice error={data.error} {...(onRetry ? { onRetry } : {})} />;
    case 'ok':
      return <>{children(data.value)}</>;
  }
}
