import { useCallback, useRef } from 'react';

/** The aria-labels of the same control in the rows after and before
 *  `element`'s table row: where the focus goes when that row is gone (a
 *  member removed, a user unassigned), so that the keyboard stays in the
 *  list rather than starting again from the top. */
function neighbourLabels(element: HTMLElement): string[] {
  const cell = element.closest('td');
  const row = cell?.parentElement;
  if (!cell || !row) return [];
  const column = Array.prototype.indexOf.call(row.children, cell);
  return [row.nextElementSibling, row.previousElementSibling]
    .map((sibling) => sibling?.children[column]?.querySelector(`${element.tagName}[aria-label]`)?.getAttribute('aria-label'))
    .filter((label): label is string => Boolean(label));
}

const byLabel = (label: string) => document.querySelector<HTMLElement>(`[aria-label="${CSS.escape(label)}"]`);

/** The button that opened a dialog, to give the focus back to once the
 *  dialog (or the one that followed it, such as a secret shown once) has
 *  closed. antd's Modal gives it back to what had the focus when it opened;
 *  that is lost when a dialog opens from another one or from a menu item,
 *  or when the button's row is gone. Then the focus goes to the same button
 *  redrawn (by its aria-label), to the same button of a neighbouring row,
 *  or else to the page's main region, not to the body. */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  const label = useRef<string | null>(null);
  const neighbours = useRef<string[]>([]);
  const remember = useCallback((element: HTMLElement | null) => {
    opener.current = element;
    // Read now: by the time the dialog closes the row may be gone.
    label.current = element?.getAttribute('aria-label') ?? null;
    neighbours.current = element ? neighbourLabels(element) : [];
  }, []);
  /** `remember` of the control named `name` (a row's Action button or tick
   *  box), for a dialog that opens from elsewhere: a menu item or a bulk bar. */
  const rememberLabel = useCallback((name: string | undefined) => {
    remember(name ? byLabel(name) : null);
    label.current = name ?? null;
  }, [remember]);
  const restore = useCallback(() => {
    const element = opener.current;
    const candidates = [
      element?.isConnected ? element : null,
      ...[label.current, ...neighbours.current].map((name) => (name ? byLabel(name) : null)),
    ];
    const target = candidates.find((candidate) => candidate && !(candidate as HTMLButtonElement).disabled);
    if (target) target.focus();
    else document.getElementById('main')?.focus();
  }, []);
  return { remember, rememberLabel, restore };
}
