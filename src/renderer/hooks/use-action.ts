import { useState, type FormEvent } from 'react';

export interface Action {
  readonly busy: boolean;
  readonly error: unknown;
  readonly setError: (error: unknown) => void;
  /** Runs `work`: busy while it runs, its failure kept as `error`; never throws. */
  readonly run: (work: () => Promise<void>) => Promise<void>;
  /** `run` for a form's submit, which the page must not handle itself. */
  readonly submit: (e: FormEvent, work: () => Promise<void>) => Promise<void>;
}

/** The busy flag and error every form keeps around one request to the engine. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent, work: () => Promise<void>): Promise<void> => {
    e.preventDefault();
    return run(work);
  };
  return { busy, error, setError, run, submit };
}
