// The one field of a dialog that asks whom something goes to (see
// lib/useChoice): required unless told otherwise (the offboarding policy
// may decide instead), and marked when "Proceed" was pressed with nobody
// chosen.
import type { ReactNode } from 'react';
import Form from 'antd/es/form';
import type { Choice } from '../lib/useChoice';

export function ChoiceField({ choice, id, label, missingText, help, required = true, children }: {
  choice: Choice;
  /** The id of the select inside, so that the label names it. */
  id: string;
  label: string;
  /** Shown when nobody was chosen, e.g. "Choose the new owner." */
  missingText: string;
  help?: ReactNode;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <Form layout="vertical">
      <Form.Item
        label={label}
        htmlFor={id}
        required={required}
        validateStatus={choice.missing ? 'error' : undefined}
        help={choice.missing ? missingText : help}
      >
        {children}
      </Form.Item>
    </Form>
  );
}
