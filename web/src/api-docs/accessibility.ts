// Two repairs of Redoc's markup that the axe scan of /api/docs asks for
// (tests/e2e/api-docs.test.mjs), applied as Redoc renders and re-renders:
//   - A sidebar item's aria-label is the operation's summary alone, while it
//     shows the HTTP method too (WCAG 2.5.3, label in name): without the
//     label its name is what it shows, "post Sign in with …".
//   - Code samples that scroll sideways must be reachable by keyboard
//     (scrollable-region-focusable): they become focusable.
function repair(root: ParentNode) {
  for (const item of root.querySelectorAll('.menu-content li[role="menuitem"][aria-label]')) {
    item.removeAttribute('aria-label');
  }
  for (const block of root.querySelectorAll('pre:not([tabindex])')) {
    block.setAttribute('tabindex', '0');
  }
}

export function repairAccessibility(root: HTMLElement) {
  repair(root);
  new MutationObserver(() => repair(root)).observe(root, { childList: true, subtree: true });
}
