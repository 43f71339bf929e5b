import { useCallback, useRef } from 'react';

/** The button that opened a dialog, to give the focus back to once the
 *  dialog (or the one that followed it, such as a secret shown once) has
 *  closed. antd's Modal gives it back to what had the focus when it opened;
 *  that is lost when a dialog opens from another one, or when the button's
 *  row is gone. Then the focus goes to the same button redrawn (by its
 *  aria-label), or else to the page's main region, not to the body. */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  const remember = useCallback((element: HTMLElement | null) => { opener.current = element; }, []);
  const restore = useCallback(() => {
    const element = opener.current;
    const label = element?.getAttribute('aria-label');
    const again = element && !element.isConnected && label
      ? document.querySelector<HTMLElement>(`[aria-label="${CSS.escape(label)}"]`) : null;
    const target = element?.isConnected ? element : again;
    if (target && !(target as HTMLButtonElement).disabled) target.focus();
    else document.getElementById('main')?.focus();
  }, []);
  return { remember, restore };
}
