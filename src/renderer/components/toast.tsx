import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

type ToastKind = 'info' | 'error';
interface Toast {
  readonly id: number;
  readonly message: string;
  readonly kind: ToastKind;
}

const TOAST_MS = 4000;
const ToastContext = createContext<(message: string, kind?: ToastKind) => void>(() => undefined);

/** Short confirmations ("Copied…"), read out by screen readers through a polite live region. */
export function ToastProvider({ children }: { readonly children: ReactNode }) {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((message: string, kind: ToastKind = 'info') => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, message, kind }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((t) => (
          <p key={t.id} className={`toast toast-${t.kind}`}>
            {t.message}
          </p>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (message: string, kind?: ToastKind) => void {
  return useContext(ToastContext);
}
