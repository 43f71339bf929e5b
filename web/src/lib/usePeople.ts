// Names for user IDs that lists answer with (lead owners, audit actors).
// One GET /members/{id} per unknown ID, cached for the page's lifetime; a
// removed member reads as null ("former member").
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { roster } from '../api/roster';

export interface Person {
  name: string;
  email: string;
}

const cache = new Map<string, Person | null>();
const pending = new Map<string, Promise<void>>();

const keyOf = (orgId: string, userId: string) => `${orgId}/${userId}`;

export function rememberPeople(orgId: string, people: { user_id: string; name: string; email: string }[]) {
  for (const person of people) cache.set(keyOf(orgId, person.user_id), { name: person.name, email: person.email });
}

export function forgetPerson(orgId: string, userId: string) {
  cache.delete(keyOf(orgId, userId));
}

function load(orgId: string, userId: string): Promise<void> {
  const key = keyOf(orgId, userId);
  let promise = pending.get(key);
  if (!promise) {
    promise = roster.member(orgId, userId)
      .then((member) => { cache.set(key, { name: member.name, email: member.email }); })
      .catch((error) => {
        if (error instanceof ApiError && error.status === 404) cache.set(key, null);
      })
      .finally(() => pending.delete(key));
    pending.set(key, promise);
  }
  return promise;
}

/** Looks up each ID; re-renders as names arrive. */
export function usePeople(orgId: string, ids: (string | null | undefined)[]): (id: string | null | undefined) => Person | null | undefined {
  const [, setVersion] = useState(0);
  const wanted = Array.from(new Set(ids.filter((id): id is string => Boolean(id))));
  const missing = wanted.filter((id) => !cache.has(keyOf(orgId, id)));
  const missingKey = missing.join(',');
  useEffect(() => {
    if (!missingKey) return;
    let live = true;
    void Promise.all(missingKey.split(',').map((id) => load(orgId, id))).then(() => {
      if (live) setVersion((value) => value + 1);
    });
    return () => { live = false; };
  }, [orgId, missingKey]);
  return (id) => (id ? cache.get(keyOf(orgId, id)) : undefined);
}
