// A table row's "Action" button, its menu, and the confirmation some of its
// items ask for ("Yes" / "Proceed" beside the button).
//
// The antd Dropdown and Popconfirm mount only when first needed: a page of
// 50 rows renders 50 plain buttons rather than 50 dropdowns and 50 hidden
// confirmations, which is about a fifth of the first render of Org users.
import { useState } from 'react';
import type { RefObject } from 'react';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import type { MenuProps } from 'antd/es/menu';
import Popconfirm from 'antd/es/popconfirm';
import type { PopconfirmProps } from 'antd/es/popconfirm';
import DownOutlined from '@ant-design/icons/es/icons/DownOutlined';

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

  const button = (
    <Button
      ref={buttonRef}
      size="small"
      loading={busy}
      aria-label={`Action for ${name}`}
      aria-haspopup="menu"
      aria-expanded={menuOpen}
      onClick={menuUsed ? undefined : () => { setMenuUsed(true); setMenuOpen(true); }}
    >
      Action <DownOutlined aria-hidden />
    </Button>
  );

  return (
    <span className="row-actions">
      {confirm && (
        <Popconfirm
          {...confirm}
          open
          onOpenChange={(open) => { if (!open) { onConfirmClosed(); buttonRef.current?.focus(); } }}
          placement="left"
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
