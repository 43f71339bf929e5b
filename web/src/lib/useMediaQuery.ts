// Whether a CSS media query matches, followed live as it changes (the
// window resized or turned, a system setting changed).
import { useSyncExternalStore } from 'react';

/** A phone's screen: below antd's "sm" breakpoint (576 px). */
export const NARROW_SCREEN = '(max-width: 575px)';
/** The person asked the system for reduced motion (a vestibular disorder, or a preference). */
export const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

interface Watched {
  list: MediaQueryList;
  subscribe: (onChange: () => void) => () => void;
  matches: () => boolean;
}

// One MediaQueryList per query, so that useSyncExternalStore sees the same
// subscribe function on every render.
const watched = new Map<string, Watched>();

function watch(query: string): Watched {
  let entry = watched.get(query);
  if (!entry) {
    const list = window.matchMedia(query);
    entry = {
      list,
      subscribe: (onChange) => {
        list.addEventListener('change', onChange);
        return () => list.removeEventListener('change', onChange);
      },
      matches: () => list.matches,
    };
    watched.set(query, entry);
  }
  return entry;
}

export function useMediaQuery(query: string): boolean {
  const { subscribe, matches } = watch(query);
  return useSyncExternalStore(subscribe, matches);
}

/** Whether `query` matches at this moment, for a one-time read outside rendering's subscriptions. */
export function matchesNow(query: string): boolean {
  return watch(query).matches();
}
