// Which of some assistants a member is assigned to, read from each
// assistant's users (admins see them all): for confirmations that say
// "…, who is added to Aria".
import { useEffect, useState } from 'react';
import { allPages, roster } from '../api/roster';

/** The IDs among `assistantIds` that `userId` is not assigned to yet;
 *  null while loading, without a user, or when it could not be read. */
export function useMissingAssignments(orgId: string, userId: string | undefined, assistantIds: string[]): string[] | null {
  const [missing, setMissing] = useState<string[] | null>(null);
  const key = assistantIds.join(',');
  useEffect(() => {
    setMissing(null);
    if (!userId || !key) return;
    let live = true;
    const ids = key.split(',');
    Promise.all(ids.map((assistantId) => allPages((cursor) => roster.assistantUsers(orgId, assistantId, { limit: 200, cursor }))
      .then((users) => (users.some((user) => user.user_id === userId) ? null : assistantId))))
      .then((answers) => { if (live) setMissing(answers.filter((id): id is string => id !== null)); })
      .catch(() => { if (live) setMissing(null); });
    return () => { live = false; };
  }, [orgId, userId, key]);
  return missing;
}

/** "Aria", "Aria and Outbound EU", "Aria, Bolt and Outbound EU". */
export function listOfNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
