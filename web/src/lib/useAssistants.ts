// Every assistant the signed-in user may see in an organization (admins: all;
// others: those assigned to them), for pickers and for naming assistant IDs.
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client';
import { allPages, roster } from '../api/roster';
import type { Assistant } from '../api/types';

export interface Assistants {
  assistants: Assistant[];
  loading: boolean;
  error: string | null;
  reload: () => void;
  nameOf: (id: string) => string;
}

export function useAssistants(orgId: string, enabled = true): Assistants {
  const [assistants, setAssistants] = useState<Assistant[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setLoading(true);
    allPages((cursor) => roster.assistants(orgId, { limit: 200, cursor }))
      .then((items) => { if (live) { setAssistants(items); setError(null); } })
      .catch((caught) => { if (live) setError(errorMessage(caught)); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [orgId, enabled, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const nameOf = useCallback(
    (id: string) => assistants.find((assistant) => assistant.id === id)?.name ?? `Assistant ${id}`,
    [assistants],
  );
  return { assistants, loading, error, reload, nameOf };
}
