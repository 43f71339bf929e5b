import { useEffect } from 'react';

/** Moves focus to the element with `id` once `open` turns true and the
 *  element exists (a popup renders a frame or two later). */
export function useFocusWhenOpen(open: boolean, id: string) {
  useEffect(() => {
    if (!open) return;
    let frames = 0;
    let handle = 0;
    const attempt = () => {
      const element = document.getElementById(id);
      if (element) element.focus();
      else if (frames++ < 30) handle = window.requestAnimationFrame(attempt);
    };
    handle = window.requestAnimationFrame(attempt);
    return () => window.cancelAnimationFrame(handle);
  }, [open, id]);
}
