// The console's tabs of one browser share the session cookie, so a sign-in
// or sign-out in one changes who the others act as. Each tab announces who
// it learnt is signed in (or that he signed out) on a BroadcastChannel, which
// reaches the other tabs of this origin at once, never the sender. What a
// tab does on hearing it is the session's business (see session.tsx).

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('roster.session');

interface Announcement {
  /** The signed-in user's id; null after "Sign out". */
  userId: string | null;
}

/** Tells the other tabs who is signed in now: a user's id, or null after "Sign out". */
export function announceSession(userId: string | null) {
  channel?.postMessage({ userId } satisfies Announcement);
}

/** Calls `heard` with what each other tab announces; answers the way to stop. */
export function onSessionAnnounced(heard: (userId: string | null) => void): () => void {
  if (!channel) return () => undefined;
  const listener = (event: MessageEvent<Announcement>) => {
    const userId = (event.data as Partial<Announcement> | null)?.userId;
    if (userId === null || typeof userId === 'string') heard(userId);
  };
  channel.addEventListener('message', listener);
  return () => channel.removeEventListener('message', listener);
}
