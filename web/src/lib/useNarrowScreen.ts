// Whether the screen is a phone's (below 576 px, antd's "sm"), followed live
// as the window is resized or turned.
import { useSyncExternalStore } from 'react';

const query = window.matchMedia('(max-width: 575px)');

function subscribe(onChange: () => void): () => void {
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function useNarrowScreen(): boolean {
  return useSyncExternalStore(subscribe, () => query.matches);
}
