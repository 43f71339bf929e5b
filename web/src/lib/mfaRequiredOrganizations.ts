// The organizations that refused the signed-in person for want of two-factor
// sign-in (403 mfa_setup_required), kept in sessionStorage: after a reload
// of the set-up page it still knows which of his organizations stay open.
const KEY = 'roster.mfaRequiredOrganizations';

/** The ids remembered in this tab (none when storage is refused). */
export function mfaRequiredOrganizations(): string[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Replaces the remembered ids; an empty list forgets them. */
export function rememberMfaRequired(ids: string[]) {
  try {
    if (ids.length === 0) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify(ids));
  } catch {
    // Storage refused: the page still knows them until a reload.
  }
}
