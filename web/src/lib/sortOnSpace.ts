import type { HTMLAttributes, KeyboardEvent } from 'react';

/** `onHeaderCell` of a sortable antd Table column: Space on the focused
 *  header sorts as Enter and a click do (antd answers Enter alone, and Space
 *  scrolled the page), by the header's own click. */
export function sortOnSpace(): HTMLAttributes<HTMLElement> {
  return {
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.key !== ' ' || event.target !== event.currentTarget) return;
      event.preventDefault();
      event.currentTarget.click();
    },
  };
}
