// Names for lead IDs that the audit log mentions: one GET /leads/{id} per
// unknown ID, cached for the page's lifetime; a lead the admin can no longer
// read (none today: leads are never deleted) reads as null.
import { useEffect, useState } from 'react';
import { roster } from '../api/roster';

const cache = new Map<string, string | null>();
const keyOf = (orgId: string, leadId: string) => `${orgId}/${leadId}`;

export function rememberLeadName(orgId: string, leadId: string, name: string) {
  cache.set(keyOf(orgId, leadId), name);
}

/** Looks up each ID; re-renders as names arrive. */
export function useLeadNames(orgId: string, ids: string[]): (id: string) => string | null | undefined {
  const [, setVersion] = useState(0);
  const missing = Array.from(new Set(ids)).filter((id) => !cache.has(keyOf(orgId, id)));
  const missingKey = missing.join(',');
  useEffect(() => {
    if (!missingKey) return;
    let live = true;
    void Promise.all(missingKey.split(',').map((id) => roster.lead(orgId, id)
      .then((lead) => cache.set(keyOf(orgId, id), lead.name))
      .catch(() => cache.set(keyOf(orgId, id), null))))
      .then(() => { if (live) setVersion((value) => value + 1); });
    return () => { live = false; };
  }, [orgId, missingKey]);
  return (id) => cache.get(keyOf(orgId, id));
}
