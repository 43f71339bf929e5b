// Looking at the server again and again while something may change there on
// its own, and only while the tab is in view: no reads behind the user's back.
import { useEffect, useRef, useState } from 'react';

/** Whether the tab is in view. */
function useTabVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const changed = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', changed);
    return () => document.removeEventListener('visibilitychange', changed);
  }, []);
  return visible;
}

/** While `awaited` (what is waited for, '' for nothing) is not empty and the
 *  tab is in view, calls `poll` `delay()` ms after the previous call settled,
 *  for as long as it resolves to true; a rejected call is tried again at the
 *  next turn, and another `awaited` starts the turns over. Back in view, it
 *  calls `poll` at once, even with nothing awaited, with the moment the tab
 *  was hidden (otherwise null): what was awaited then is looked at once more.
 *  The latest `poll` and `delay` are called; `signal` aborts when the turns
 *  stop. */
export function useVisiblePolling(
  awaited: string,
  poll: (signal: AbortSignal, hiddenSince: number | null) => Promise<boolean>,
  delay: () => number,
): void {
  const visible = useTabVisible();
  const latest = useRef({ poll, delay });
  latest.current = { poll, delay };
  const hiddenAt = useRef<number | null>(null);
  useEffect(() => {
    if (!visible) {
      hiddenAt.current ??= Date.now();
      return undefined;
    }
    let hiddenSince = hiddenAt.current;
    hiddenAt.current = null;
    if (awaited === '' && hiddenSince === null) return undefined;
    const abort = new AbortController();
    let timer = 0;
    const next = () => {
      timer = window.setTimeout(() => {
        const since = hiddenSince;
        hiddenSince = null;
        latest.current.poll(abort.signal, since)
          .catch(() => true)
          .then((more) => { if (more && !abort.signal.aborted) next(); });
      }, hiddenSince !== null ? 0 : latest.current.delay());
    };
    next();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [awaited, visible]);
}
