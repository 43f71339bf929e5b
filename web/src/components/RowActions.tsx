// A table row's "Action" button, its menu, and the confirmation some of its
// items ask for ("Yes" / "Proceed" beside the button).
//
// The antd Dropdown and Popconfirm mount only when first needed: a page of
// 50 rows renders 50 plain buttons rather than 50 dropdowns and 50 hidden
// confirmations, which is about a fifth of the first render of Org users.
// Inside TableStyles the button itself is a plain <button> with antd's
// classes (see TableStyles), without the click ripple.
import { forwardRef, useState } from 'react';
import type { ButtonHTMLAttributes, RefObject } from 'react';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import type { MenuProps } from 'antd/es/menu';
import Popconfirm from 'antd/es/popconfirm';
import type { PopconfirmProps } from 'antd/es/popconfirm';
import DownOutlined from '@ant-design/icons/es/icons/DownOutlined';
import LoadingOutlined from '@ant-design/icons/es/icons/LoadingOutlined';
import { useSmallButtonClasses } from './TableStyles';
import { NARROW_SCREEN, matchesNow } from '../lib/useMediaQuery';


export type RowConfirm = Pick<PopconfirmProps,
  'title' | 'description' | 'okText' | 'cancelText' | 'okButtonProps' | 'cancelButtonProps' | 'onConfirm'>;

export function RowActions({ name, busy, buttonRef, items, onSelect, confirm, onConfirmClosed }: {
  /** Whose row: the button is "Action for {name}". */
  name: string;
  busy: boolean;
  buttonRef: RefObject<HTMLButtonElement | null>;
  items: NonNullable<MenuProps['items']>;
  /** Runs once the menu has closed, so a confirmation can take the focus. */
  onSelect: (key: string) => void;
  /** The confirmation to show beside the button, or null. */
  confirm: RowConfirm | null;
  /** The confirmation was dismissed (Escape, a click elsewhere, "No"). */
  onConfirmClosed: () => void;
}) {
  const [menuUsed, setMenuUsed] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  // On a phone a confirmation beside the button would not fit. Read when
  // one opens (it mounts only then): 50 rows need no 50 subscriptions.
  const narrow = confirm !== null && matchesNow(NARROW_SCREEN);

  const button = (
    <ActionButton
      ref={buttonRef}
      busy={busy}
      aria-label={`Action for ${name}`}
      aria-haspopup="menu"
      aria-expanded={menuOpen}
      onClick={menuUsed ? undefined : () => { setMenuUsed(true); setMenuOpen(true); }}
    />
  );

  return (
    <span className="row-actions">
      {confirm && (
        <Popconfirm
          {...confirm}
          open
          onOpenChange={(open) => { if (!open) { onConfirmClosed(); buttonRef.current?.focus(); } }}
          // A long description wraps instead of covering the whole row. On a
          // phone there is no room beside the button: the confirmation goes
          // above it (below, near the top), as wide as the screen at most, and
          // antd shifts it sideways into view; its transparent padding keeps
          // the box off the screen's edges. global.css wraps the words.
          placement={narrow ? 'top' : 'left'}
          styles={{ root: narrow ? { maxWidth: '100vw', paddingInline: 8, boxSizing: 'border-box' } : { maxWidth: 420 } }}
          rootClassName="row-confirm"
        >
          <span className="confirm-anchor" aria-hidden="true" />
        </Popconfirm>
      )}
      {menuUsed ? (
        <Dropdown
          trigger={['click']}
          autoFocus
          open={menuOpen}
          onOpenChange={setMenuOpen}
          menu={{
            items,
            // Escape closes the menu; the focus goes back to its button
            // (it fell to the page's body, and the keyboard started over).
            onKeyDown: (event) => {
              if (event.key === 'Escape') window.setTimeout(() => buttonRef.current?.focus(), 0);
            },
            onClick: ({ key }) => {
              setMenuOpen(false);
              // After this key or click has finished with the button.
              window.setTimeout(() => onSelect(key), 0);
            },
          }}
        >
          {button}
        </Dropdown>
      ) : button}
    </span>
  );
}

/** "Action ▾", small; while busy it spins and ignores clicks, as antd's does. */
const ActionButton = forwardRef<HTMLButtonElement, Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'color'> & { busy: boolean }>(
  function ActionButton({ busy, onClick, className, ...rest }, ref) {
    const plain = useSmallButtonClasses();
    if (!plain) {
      return (
        <Button ref={ref} size="small" loading={busy} onClick={onClick} className={className} {...rest}>
          Action <DownOutlined aria-hidden />
        </Button>
      );
    }
    return (
      <button
        {...rest}
        ref={ref}
        type="button"
        // The dropdown adds its own classes (its trigger, open) to these.
        className={[plain.className, busy && `${plain.prefix}-loading`, className].filter(Boolean).join(' ')}
        onClick={(event) => { if (busy) event.preventDefault(); else onClick?.(event); }}
      >
        {busy && <span className={`${plain.prefix}-icon ${plain.prefix}-loading-icon`}><LoadingOutlined /></span>}
        <span>Action </span><DownOutlined aria-hidden />
      </button>
    );
  },
);
