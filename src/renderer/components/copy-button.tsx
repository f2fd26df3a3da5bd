import { useCopy } from '../hooks/use-copy.js';

export function CopyButton({
  value,
  secret,
  label = 'Copy',
  testId,
  className = 'button-small',
}: {
  readonly value: string;
  readonly secret: boolean;
  readonly label?: string;
  readonly testId?: string;
  readonly className?: string;
}) {
  const copy = useCopy();
  return (
    <button type="button" className={className} data-testid={testId} onClick={() => void copy(value, secret)}>
      {label}
    </button>
  );
}
