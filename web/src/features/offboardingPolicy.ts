// What happens to a leaving member's leads (SPEC.md section 8): the
// removal preview and the organization's offboarding policy, read together
// by the dialogs that remove or deactivate someone. One rule for both, the
// server's (src/app/offboarding.cpp): the leads on each assistant go to its
// active manager other than the leaver when the policy prefers managers,
// else to the default heir (set, active, not the leaver); an assistant with
// neither leaves its leads nowhere, and then "Give the leads to" is required.
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { lifecycle } from '../api/lifecycle';
import type { OffboardingPolicy } from '../api/lifecycle';
import { allPages, roster } from '../api/roster';
import type { Member, RemovalPreview } from '../api/types';
import { listOfNames } from '../lib/useAssignments';

export interface Situation {
  preview: RemovalPreview;
  policy: OffboardingPolicy;
  /** The default heir, when he is someone else and active. */
  heir: Member | null;
  /** The assistants of his leads that have an active manager other than
   *  him (read only when the policy prefers the assistant's manager). */
  managed: Set<string>;
}

async function hasOtherActiveManager(orgId: string, assistantId: string, leaverId: string): Promise<boolean> {
  const users = await allPages((cursor) => roster.assistantUsers(orgId, assistantId, { limit: 200, cursor }));
  return users.some((user) => user.is_manager && user.status === 'active' && user.user_id !== leaverId);
}

export async function loadSituation(orgId: string, userId: string): Promise<Situation> {
  const [preview, settings] = await Promise.all([roster.removalPreview(orgId, userId), lifecycle.settings(orgId)]);
  const policy = settings.offboarding;
  const heirId = policy.heir_user_id;
  const [heir, managed] = await Promise.all([
    heirId && heirId !== userId ? roster.member(orgId, heirId).catch(() => null) : Promise.resolve(null),
    policy.prefer_assistant_manager
      ? Promise.all(preview.by_assistant.map(async ({ assistant_id: id }) =>
        (await hasOtherActiveManager(orgId, id, userId)) ? id : null))
      : Promise.resolve([]),
  ]);
  return {
    preview,
    policy,
    heir: heir?.status === 'active' ? heir : null,
    managed: new Set(managed.filter((id): id is string => id !== null)),
  };
}

/** The assistants (IDs) whose leads the policy sends nowhere. */
export function unplacedAssistants(situation: Situation): string[] {
  const { preview, policy, heir, managed } = situation;
  return preview.by_assistant
    .filter(({ assistant_id: id, lead_count: count }) =>
      count > 0 && !(policy.prefer_assistant_manager && managed.has(id)) && !heir)
    .map((item) => item.assistant_id);
}

/** Where the policy sends the leads, in a sentence; null when it cannot place every one of them. */
export function policySentence(situation: Situation): string | null {
  const { policy, heir } = situation;
  if (unplacedAssistants(situation).length > 0) return null;
  const heirName = heir ? `${heir.name} (${heir.email})` : null;
  if (policy.prefer_assistant_manager) {
    return heirName
      ? `each assistant's manager who owns the fewest of its leads; where an assistant has no other manager, ${heirName}`
      : "each assistant's manager who owns the fewest of its leads";
  }
  return heirName ? `${heirName}, the default heir` : null;
}

/**
 * Why "Give the leads to" is required although a policy is set: which
 * assistants' leads it places nowhere, and why. Null when the policy places
 * every lead, or when there is no policy at all (the field says so then).
 */
export function unplacedReason(situation: Situation, member: Member, nameOf: (id: string) => string): string | null {
  const { policy } = situation;
  if (!policy.prefer_assistant_manager && !policy.heir_user_id) return null;
  const unplaced = unplacedAssistants(situation);
  if (unplaced.length === 0) return null;
  const heirProblem = !policy.heir_user_id
    ? 'no default heir is set'
    : policy.heir_user_id === member.user_id
      ? `the default heir is ${member.name}, who is leaving`
      : 'the default heir is not an active member now';
  const fix = `Choose who receives them, or ${policy.heir_user_id ? 'choose another' : 'set a'} default heir in Settings.`;
  if (!policy.prefer_assistant_manager) return `The offboarding policy cannot place these leads: ${heirProblem}. ${fix}`;
  const names = listOfNames(unplaced.map(nameOf));
  return `The offboarding policy cannot place the leads on ${names}: ${unplaced.length === 1 ? 'it has' : 'they have'
  } no active manager other than ${member.name}, and ${heirProblem}. ${fix}`;
}

/** A refusal of the removal or deactivation, in the dialog's words: 409
 *  no_offboarding_heir points at the field, not at the API's reassign_to. */
export function handoverError(caught: unknown): Error {
  if (caught instanceof ApiError && caught.code === 'no_offboarding_heir') {
    return new Error('Some of these leads have nobody to go to under the offboarding policy: choose who receives '
      + 'them in "Give the leads to", or set a default heir in Settings.');
  }
  return caught instanceof Error ? caught : new Error(errorMessage(caught));
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
  const byPolicy = situation ? policySentence(situation) : null;
  return { situation, loadError, byPolicy };
}
