// The state of a dialog that asks whom something goes to (a lead's new
// owner, who receives a removed member's leads...) and then sends one
// request.
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client';

export interface Choice {
  /** The user ID picked, if any. */
  chosen: string | undefined;
  choose: (userId: string) => void;
  /** "Proceed" was pressed with nothing picked. */
  missing: boolean;
  /** The request's error, ready to show. */
  error: string | null;
  busy: boolean;
  /** Sends `action` with the pick; when a pick is `required` and there is
   *  none, marks it missing instead. */
  proceed: (action: (chosen: string | undefined) => Promise<void>, required?: boolean) => Promise<void>;
}

/** Starts over whenever `subject` (the lead, the member...) changes. */
export function useChoice(subject: unknown): Choice {
  const [chosen, setChosen] = useState<string | undefined>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setChosen(undefined);
    setMissing(false);
    setError(null);
  }, [subject]);

  const choose = useCallback((userId: string) => {
    setChosen(userId);
    setMissing(false);
  }, []);

  const proceed = async (action: (chosen: string | undefined) => Promise<void>, required = true) => {
    if (required && !chosen) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action(chosen);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return { chosen, choose, missing, error, busy, proceed };
}
