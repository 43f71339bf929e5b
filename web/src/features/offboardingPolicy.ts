// What happens to a leaving member's leads (SPEC.md section 8): the
// removal preview and the organization's offboarding policy, read together
// by the dialogs that remove or deactivate someone.
import { useEffect, useState } from 'react';
import { errorMessage } from '../api/client';
import { lifecycle } from '../api/lifecycle';
import type { OffboardingPolicy } from '../api/lifecycle';
import { roster } from '../api/roster';
import type { Member, RemovalPreview } from '../api/types';

export interface Situation {
  preview: RemovalPreview;
  policy: OffboardingPolicy;
  /** The default heir, when he is someone else and active. */
  heir: Member | null;
}

export async function loadSituation(orgId: string, userId: string): Promise<Situation> {
  const [preview, settings] = await Promise.all([roster.removalPreview(orgId, userId), lifecycle.settings(orgId)]);
  const heirId = settings.offboarding.heir_user_id;
  const heir = heirId && heirId !== userId ? await roster.member(orgId, heirId).catch(() => null) : null;
  return { preview, policy: settings.offboarding, heir: heir?.status === 'active' ? heir : null };
}

/** Where the policy sends the leads, in a sentence; null when it sends them nowhere. */
export function policySentence(policy: OffboardingPolicy, heir: Member | null): string | null {
  const heirName = heir ? `${heir.name} (${heir.email})` : null;
  if (policy.prefer_assistant_manager) {
    return heirName
      ? `each assistant's manager who owns the fewest of its leads; where an assistant has no other manager, ${heirName}`
      : "each assistant's manager who owns the fewest of its leads (every assistant must have another manager)";
  }
  return heirName ? `${heirName}, the default heir` : null;
}

/** The situation of `member` (null while it loads or with no member), where
 *  the policy sends his leads, and the load's error. */
export function useSituation(orgId: string, member: Member | null) {
  const [situation, setSituation] = useState<Situation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    setSituation(null);
    setLoadError(null);
    if (!member) return;
    let live = true;
    loadSituation(orgId, member.user_id)
      .then((loaded) => { if (live) setSituation(loaded); })
      .catch((caught) => { if (live) setLoadError(errorMessage(caught)); });
    return () => { live = false; };
  }, [orgId, member]);
  const byPolicy = situation ? policySentence(situation.policy, situation.heir) : null;
  return { situation, loadError, byPolicy };
}
