// Who is signed in: GET /me at start and after every sign-in, password change
// or role change; the one place that knows the session ended, in this tab or
// (the cookie is shared) in another tab of the browser.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, onSessionProblem } from './api/client';
import { roster } from './api/roster';
import type { LoginAnswer, Me, Membership } from './api/types';
import { forgetOrganizations, organizationsLeft, rememberOrganizations } from './lib/knownOrganizations';
import { mfaRequiredOrganizations, rememberMfaRequired } from './lib/mfaRequiredOrganizations';
import { announceSession, onSessionAnnounced } from './lib/sessionChannel';

type Status = 'loading' | 'signed-out' | 'signed-in' | 'error';

interface Session {
  status: Status;
  me: Me | null;
  loadError: string | null;
  /** Reads GET /me again; `after` 'forbidden' when a 403 asked for it. */
  refresh: (after?: 'forbidden' | 'other') => Promise<Me | null>;
  signIn: (email: string, password: string) => Promise<LoginAnswer>;
  signOut: () => Promise<void>;
  /** Organizations the user was a member of earlier in this visit and no
   *  longer is (removed meanwhile), by id: their names, for "You no longer
   *  have access to …". */
  formerOrgs: Record<string, string>;
  /** Organizations where the user was an admin earlier in this visit and,
   *  as a 403 revealed, no longer is, by id: their names, for "You are no
   *  longer an org admin of …". */
  formerAdminOrgs: Record<string, string>;
  /** The user signed out himself (not an expired session): the sign-in page says so. */
  signedOut: boolean;
  /** The session ended under him (signed out in another tab, idle too long):
   *  a request answered 401 after he had been signed in in this tab. 'now'
   *  while this page is open; 'earlier' before it was loaded (this tab was
   *  reloaded, see TAB_NOTE). */
  sessionEnded: 'now' | 'earlier' | null;
  /** Drops those two notices: they belong to the moment the session ended,
   *  not to a later visit of the sign-in page (after "Forgot password?"). */
  dismissSignInNotices: () => void;
  /** The one-time password typed at sign-in, kept in memory only, so the
   *  "set a new password" page need not ask for it again. */
  oneTimePassword: React.RefObject<string | null>;
  /** Organizations that answered 403 mfa_setup_required in this tab, by id:
   *  their pages send the person to set up two-factor sign-in, while his
   *  other organizations stay open (kept over a reload; see
   *  mfaRequiredOrganizations). */
  mfaRequiredOrgs: string[];
  /** Two-factor sign-in is on now: no organization sends him to set it up. */
  mfaSetUp: () => void;
  /** He signed in with a recovery code in this tab (until he closes the
   *  notice): how many are left, null when that could not be read. */
  recoverySignIn: { codesLeft: number | null } | null;
  noteRecoverySignIn: (notice: { codesLeft: number | null } | null) => void;
  /** After a new password is set: reads GET /me; null when the server opened
   *  no session (two-factor on: he signs in again with a code). */
  passwordSet: () => Promise<Me | null>;
  /** The e-mail of an account whose new password was just set without a
   *  session: the sign-in page says so and fills it in. */
  newPasswordFor: string | null;
}

const SessionContext = createContext<Session | null>(null);

// Whether this browser may hold a session. The cookie is HttpOnly, so the
// console keeps its own note, in localStorage (shared by the tabs): set by
// every GET /me that answers, dropped by a 401, by "Sign out" and by a
// session that ended. The sign-in page asks GET /me only when the note is
// there: a first visit's 401 was an error in the browser's console.
const SESSION_NOTE = 'roster.session';

function noteSession(present: boolean) {
  try {
    if (present) localStorage.setItem(SESSION_NOTE, '1');
    else localStorage.removeItem(SESSION_NOTE);
  } catch {
    // Storage refused: GET /me is asked on every page, as before.
  }
}

// Whether this tab had a session, in sessionStorage (the tab's own, kept
// over a reload): 'signed-in' while it has one, 'ended' once it ended under
// him. A reload then still tells on the sign-in page that the session ended
// (it said nothing: the reason was kept in memory only). A tab that signed
// out, or a new one, has no note.
const TAB_NOTE = 'roster.tab-session';
type TabNote = 'signed-in' | 'ended';

function noteTab(note: TabNote | null) {
  try {
    if (note) sessionStorage.setItem(TAB_NOTE, note);
    else sessionStorage.removeItem(TAB_NOTE);
  } catch {
    // Storage refused: a reload forgets why, as before.
  }
}

function tabNote(): TabNote | null {
  try {
    const note = sessionStorage.getItem(TAB_NOTE);
    return note === 'signed-in' || note === 'ended' ? note : null;
  } catch {
    return null;
  }
}

/** Whether a page opened at `pathname` asks GET /me: all but the sign-in
 *  page of a browser that holds no session (see SESSION_NOTE). */
export function asksMe(pathname: string): boolean {
  if (pathname !== '/login') return true;
  try {
    return localStorage.getItem(SESSION_NOTE) !== null;
  } catch {
    return true;
  }
}

/** Someone else is signed in now (in another tab): this tab's pages hold the
 *  previous person's data and rights, so it starts over, reloaded at the
 *  start, as the new one. */
function startOver() {
  forgetOrganizations();
  rememberMfaRequired([]);
  window.location.replace('/');
}

export function SessionProvider({ children }: { children: ReactNode }) {
  // GET /me asked at start (see preloadFor) may already have answered.
  const [early] = useState(() => roster.early.me() ?? null);
  const [askMe] = useState(() => asksMe(window.location.pathname));
  const [status, setStatus] = useState<Status>(early ? 'signed-in' : askMe ? 'loading' : 'signed-out');
  const [me, setMe] = useState<Me | null>(early);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Known from before a reload, too (see knownOrganizations).
  const [formerOrgs, setFormerOrgs] = useState<Record<string, string>>(() => (early ? organizationsLeft(early) : {}));
  const [formerAdminOrgs, setFormerAdminOrgs] = useState<Record<string, string>>({});
  const [signedOut, setSignedOut] = useState(false);
  const [tabBefore] = useState(tabNote);
  const [sessionEnded, setSessionEnded] = useState<'now' | 'earlier' | null>(tabBefore === 'ended' ? 'earlier' : null);
  // This tab had a session before it was loaded: a 401 before any answer
  // of GET /me means that session ended meanwhile.
  const hadSession = useRef(tabBefore !== null);
  const oneTimePassword = useRef<string | null>(null);
  const lastMe = useRef<Me | null>(early);
  const [recoverySignIn, noteRecoverySignIn] = useState<{ codesLeft: number | null } | null>(null);
  const [newPasswordFor, setNewPasswordFor] = useState<string | null>(null);
  const [mfaRequiredOrgs, setMfaRequiredOrgs] = useState<string[]>(mfaRequiredOrganizations);
  const requireMfaOf = useCallback((ids: string[]) => {
    rememberMfaRequired(ids);
    setMfaRequiredOrgs(ids);
  }, []);

  const refresh = useCallback(async (after: 'forbidden' | 'other' = 'other') => {
    try {
      const answer = await roster.me();
      if (lastMe.current !== null && lastMe.current.user.id !== answer.user.id) {
        startOver();
        return null;
      }
      const before = lastMe.current?.user.id === answer.user.id ? lastMe.current.memberships : [];
      const lost = {
        ...organizationsLeft(answer),
        ...Object.fromEntries(before.filter((old) => !answer.memberships.some((item) => item.org.id === old.org.id))
          .map((item) => [item.org.id, item.org.name])),
      };
      if (Object.keys(lost).length > 0) setFormerOrgs((known) => ({ ...known, ...lost }));
      rememberOrganizations(answer);
      // Only a refusal explains a lost admin role: one he gave up himself needs no notice.
      const demoted = after !== 'forbidden' ? [] : before.filter((old) => old.role === 'admin'
        && answer.memberships.some((item) => item.org.id === old.org.id && item.role !== 'admin'));
      if (demoted.length > 0) {
        setFormerAdminOrgs((known) => ({ ...known, ...Object.fromEntries(demoted.map((item) => [item.org.id, item.org.name])) }));
      }
      lastMe.current = answer;
      noteSession(true);
      noteTab('signed-in');
      hadSession.current = false;
      announceSession(answer.user.id);
      setMe(answer);
      setStatus('signed-in');
      setLoadError(null);
      // Signed in (here or in another tab): the sign-in page's notices are past.
      setSignedOut(false);
      setSessionEnded(null);
      return answer;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        noteSession(false);
        setMe(null);
        setStatus('signed-out');
        return null;
      }
      setLoadError(error instanceof Error ? error.message : String(error));
      setStatus('error');
      return null;
    }
  }, []);

  useEffect(() => {
    if (early) {
      rememberOrganizations(early);
      noteSession(true);
      noteTab('signed-in');
      hadSession.current = false;
      announceSession(early.user.id);
    } else if (askMe) {
      void refresh();
    }
  }, [early, askMe, refresh]);

  // The session ended under him: a 401, or "Sign out" in another tab.
  const endSession = useCallback(() => {
    if (lastMe.current !== null) setSessionEnded('now');
    else if (hadSession.current) setSessionEnded('earlier');
    noteTab(lastMe.current !== null || hadSession.current ? 'ended' : null);
    hadSession.current = false;
    noteSession(false);
    lastMe.current = null;
    requireMfaOf([]);
    setMe(null);
    setStatus('signed-out');
  }, [requireMfaOf]);

  useEffect(() => {
    onSessionProblem((problem, orgId) => {
      if (problem === 'unauthenticated') {
        endSession();
      } else if (problem === 'organization_missing') {
        // Was the signed-in user removed from it? GET /me tells.
        void refresh();
      } else if (problem === 'organization_forbidden') {
        // Did an admin take his admin rights away? GET /me tells.
        void refresh('forbidden');
      } else if (problem === 'mfa_setup_required') {
        const id = orgId === undefined ? '' : decodeURIComponent(orgId);
        setMfaRequiredOrgs((known) => {
          const next = known.includes(id) ? known : [...known, id];
          rememberMfaRequired(next);
          return next;
        });
      } else {
        setMe((current) => (current ? { ...current, must_change_password: true } : current));
      }
    });
    return () => onSessionProblem(null);
  }, [refresh, endSession]);

  // Another tab signed in or out. A sign-in is only a hint: GET /me tells
  // who is signed in now (someone else: refresh starts over).
  useEffect(() => onSessionAnnounced((userId) => {
    if (userId === (lastMe.current?.user.id ?? null)) return;
    if (userId === null) endSession();
    else void refresh();
  }), [refresh, endSession]);

  // What the other tabs cannot announce (a session ended by the server, a
  // tab asleep when the others spoke) is asked once when this tab is back
  // in view: the same person keeps his pages as they are, untouched.
  useEffect(() => {
    const backInView = async () => {
      if (document.visibilityState !== 'visible' || lastMe.current === null) return;
      try {
        const answer = await roster.me();
        if (lastMe.current !== null && lastMe.current.user.id !== answer.user.id) startOver();
      } catch (error) {
        // A 401 has ended the session (see onSessionProblem); a server out
        // of reach says nothing of who is signed in.
        if (!(error instanceof ApiError)) throw error;
      }
    };
    const listener = () => void backInView();
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const answer = await roster.login(email, password);
    oneTimePassword.current = answer.must_change_password ? password : null;
    setSignedOut(false);
    setSessionEnded(null);
    noteTab(null);
    setNewPasswordFor(null);
    noteRecoverySignIn(null);
    // With two-factor on nothing is signed in yet (see LoginPage).
    if (!answer.mfa_required) await refresh();
    return answer;
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await roster.logout();
      announceSession(null);
    } finally {
      oneTimePassword.current = null;
      lastMe.current = null;
      noteSession(false);
      forgetOrganizations();
      requireMfaOf([]);
      noteRecoverySignIn(null);
      setNewPasswordFor(null);
      setFormerOrgs({});
      setFormerAdminOrgs({});
      noteTab(null);
      setSignedOut(true);
      setSessionEnded(null);
      setMe(null);
      setStatus('signed-out');
    }
  }, [requireMfaOf]);
  const mfaSetUp = useCallback(() => requireMfaOf([]), [requireMfaOf]);
  const dismissSignInNotices = useCallback(() => {
    setSignedOut(false);
    setSessionEnded(null);
    noteTab(null);
  }, []);

  const passwordSet = useCallback(async () => {
    const email = lastMe.current?.user.email ?? '';
    oneTimePassword.current = null;
    // The 401 that follows when no session was opened ended nothing under him.
    lastMe.current = null;
    // Before the answer: the pages see "signed out" and this in one render.
    setNewPasswordFor(email);
    const answer = await refresh();
    if (answer) setNewPasswordFor(null);
    return answer;
  }, [refresh]);

  const value = useMemo(
    () => ({ status, me, loadError, formerOrgs, formerAdminOrgs, signedOut, sessionEnded, dismissSignInNotices, refresh, signIn, signOut,
             oneTimePassword, mfaRequiredOrgs, mfaSetUp, recoverySignIn, noteRecoverySignIn, passwordSet,
             newPasswordFor }),
    [status, me, loadError, formerOrgs, formerAdminOrgs, signedOut, sessionEnded, dismissSignInNotices, refresh, signIn, signOut,
     mfaRequiredOrgs, mfaSetUp, recoverySignIn, passwordSet, newPasswordFor],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user's standing in one organization. */
export interface OrgAccess {
  orgId: string;
  orgName: string;
  isAdmin: boolean;
  /** Admin, or manager of at least one assistant. */
  managesAny: boolean;
  managedAssistantIds: string[];
  userId: string;
}

export function accessOf(me: Me, membership: Membership): OrgAccess {
  return {
    orgId: membership.org.id,
    orgName: membership.org.name,
    isAdmin: membership.role === 'admin',
    managesAny: membership.role === 'admin' || membership.managed_assistant_ids.length > 0,
    managedAssistantIds: membership.managed_assistant_ids,
    userId: me.user.id,
  };
}
