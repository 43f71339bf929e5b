// The organizations the signed-in person has belonged to in this tab, kept
// in sessionStorage: after a removal, a reload can still say "You no longer
// have access to <organization>" rather than "Organization not found".
import type { Me } from '../api/types';

const KEY = 'roster.organizations';

interface Saved {
  user: string;
  /** Organization id → name. */
  organizations: Record<string, string>;
}

function saved(userId: string): Record<string, string> {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Saved | null;
    return value && value.user === userId ? value.organizations : {};
  } catch {
    // Storage refused (or not JSON): nothing is known, as on a first visit.
    return {};
  }
}

/** The organizations this tab knew `me` in that he is no longer a member of, id → name. */
export function organizationsLeft(me: Me): Record<string, string> {
  return Object.fromEntries(Object.entries(saved(me.user.id))
    .filter(([id]) => !me.memberships.some((item) => item.org.id === id)));
}

/** Adds `me`'s organizations to those this tab knows (the ones he left stay known). */
export function rememberOrganizations(me: Me) {
  const organizations = { ...saved(me.user.id), ...Object.fromEntries(me.memberships.map((item) => [item.org.id, item.org.name])) };
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ user: me.user.id, organizations } satisfies Saved));
  } catch {
    // Storage refused: a reload after a removal then says "Organization not found".
  }
}

/** Forgets them all (after "Sign out"). */
export function forgetOrganizations() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: there is nothing to forget.
  }
}
