// A dialog that shows a secret once (a new API key, a webhook's signing
// secret): Roster keeps only a hash or cannot show it again, so neither
// Escape, a ✕ nor a click outside closes it before the admin ticks that he
// has copied it; then "Done" (or Escape) closes it.
import { useState } from 'react';
import type { ReactNode } from 'react';
import Button from 'antd/es/button';
import Checkbox from 'antd/es/checkbox';
import Modal from 'antd/es/modal';

export function ShownOnceDialog({ title, open, confirmText, onDone, afterClose, width, children }: {
  title: ReactNode;
  open: boolean;
  /** The box to tick before the dialog may close: "I have copied the key". */
  confirmText: string;
  onDone: () => void;
  afterClose?: () => void;
  width?: number;
  children: ReactNode;
}) {
  const [confirmed, setConfirmed] = useState(false);
  return (
    <Modal
      title={title}
      open={open}
      closable={confirmed}
      mask={{ closable: confirmed }}
      keyboard={confirmed}
      onCancel={onDone}
      afterClose={() => { setConfirmed(false); afterClose?.(); }}
      width={width}
      destroyOnHidden
      footer={<Button type="primary" disabled={!confirmed} onClick={onDone}>Done</Button>}
    >
      {children}
      <Checkbox checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)}>
        {confirmText}
      </Checkbox>
    </Modal>
  );
}
