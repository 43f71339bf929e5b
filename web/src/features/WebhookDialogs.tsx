// The Webhooks page's two forms of an endpoint: "Add endpoint" (its secret
// is then shown once by the page) and "Edit endpoint", which changes the
// URL, description and events of an endpoint in place (PATCH), keeping its
// signing secret and its delivery history. Both use one form.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Checkbox from 'antd/es/checkbox';
import Form from 'antd/es/form';
import type { FormInstance } from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Select from 'antd/es/select';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Webhook } from '../api/types';
import { showFieldErrors } from '../lib/fieldErrors';
import { useToast } from '../toast';

/** The event types of SPEC section 7, as an admin picks them. */
export const EVENT_TYPES = [
  'member.invited', 'member.invite_resent', 'member.invite_undelivered', 'member.joined',
  'member.role_changed', 'member.updated', 'member.removed',
  'member.deactivated', 'member.reactivated', 'assistant.created', 'assistant.renamed',
  'assistant.user_assigned', 'assistant.user_unassigned', 'assistant.manager_granted',
  'assistant.manager_revoked', 'lead.created', 'lead.updated', 'lead.reassigned',
  'leads.reassigned', 'leads.imported',
];

interface WebhookFields {
  url: string;
  description?: string;
  all: boolean;
  events?: string[];
}

/** An endpoint's URL where all of it may not fit (a toast): up to 60
 *  characters, cut with "…". */
export function shortUrl(url: string): string {
  const characters = [...url];
  return characters.length > 60 ? `${characters.slice(0, 59).join('')}…` : url;
}

/** The events the form asks for, as the API takes them. */
function eventsOf(fields: WebhookFields): string[] {
  return fields.all ? ['*'] : fields.events ?? [];
}

/** The form's values for an endpoint. */
function fieldsOf(webhook: Webhook): WebhookFields {
  const all = webhook.events.includes('*');
  return { url: webhook.url, description: webhook.description, all, events: all ? [] : webhook.events };
}

function sameEvents(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

/** Puts a 422's field errors under URL, Description or Events; false when
 *  some error has no field on screen (the dialog's alert says it then). */
function showWebhookErrors(form: FormInstance<WebhookFields>, caught: unknown): boolean {
  const fieldOf: Partial<Record<string, keyof WebhookFields>> = { url: 'url', description: 'description' };
  if (!form.getFieldValue('all')) fieldOf.events = 'events';
  return showFieldErrors(form, caught, fieldOf);
}

/** URL, Description, "All events" and Events; Enter in URL or Description
 *  submits, as in Create API key (the dialog's own button is outside the
 *  form, so the form has a hidden submit button of its own). `name` sets
 *  the fields' ids apart: both dialogs' forms may be in the page at once. */
function WebhookForm({ name, form, onSubmit }: {
  name: string; form: FormInstance<WebhookFields>; onSubmit: () => void;
}) {
  const all = Form.useWatch('all', form);
  return (
    <Form name={name} form={form} layout="vertical" requiredMark={false} initialValues={{ all: true }}
          onFinish={onSubmit}>
      <Form.Item label="URL" name="url" extra="An https:// address that Roster POSTs signed events to."
                 rules={[{ required: true, whitespace: true, message: 'Enter the receiver\'s URL.' }]}>
        <Input autoComplete="off" placeholder="https://crm.example.com/roster-events" />
      </Form.Item>
      <Form.Item label="Description" name="description">
        <Input autoComplete="off" maxLength={200} placeholder="e.g. CRM sync" />
      </Form.Item>
      <Form.Item name="all" valuePropName="checked">
        <Checkbox>All events, including types added later</Checkbox>
      </Form.Item>
      {!all && (
        <Form.Item label="Events" name="events"
                   rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one event type.' }]}>
          <Select mode="multiple" allowClear placeholder="Choose event types"
                  options={EVENT_TYPES.map((type) => ({ value: type, label: type }))} />
        </Form.Item>
      )}
      <button type="submit" hidden aria-hidden tabIndex={-1} />
    </Form>
  );
}

export function AddWebhookDialog({ orgId, open, onClose, onCreated }: {
  orgId: string; open: boolean; onClose: () => void; onCreated: (secret: string) => void;
}) {
  const [form] = Form.useForm<WebhookFields>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    let values: WebhookFields;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const created = await roster.createWebhook(orgId, {
        url: values.url.trim(),
        events: eventsOf(values),
        description: values.description?.trim() ?? '',
      });
      form.resetFields();
      onCreated(created.secret);
    } catch (caught) {
      if (!showWebhookErrors(form, caught)) setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="Add endpoint"
      open={open}
      okText="Add endpoint"
      onOk={() => void submit()}
      confirmLoading={submitting}
      onCancel={() => { setError(null); onClose(); }}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <WebhookForm name="add-webhook" form={form} onSubmit={() => void submit()} />
    </Modal>
  );
}

/** "Edit endpoint": the endpoint's URL, description and events, pre-filled;
 *  Save sends only what changed, so it does not undo another admin's change
 *  of another field (nor touch the enabled switch). The secret and the
 *  delivery history stay. `onRefused`: the endpoint is gone (404). */
export function EditWebhookDialog({ orgId, webhook, onClose, onSaved, onRefused, afterClose }: {
  orgId: string; webhook: Webhook | null; onClose: () => void; onSaved: (updated: Webhook) => void;
  onRefused: () => void; afterClose: () => void;
}) {
  const [form] = Form.useForm<WebhookFields>();
  const message = useToast();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const open = webhook !== null;

  useEffect(() => {
    if (!webhook) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue(fieldsOf(webhook));
  }, [webhook, form]);

  const submit = async () => {
    if (!webhook) return;
    let values: WebhookFields;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const change: { url?: string; events?: string[]; description?: string } = {};
    const url = values.url.trim();
    const description = values.description?.trim() ?? '';
    const events = eventsOf(values);
    if (url !== webhook.url) change.url = url;
    if (description !== webhook.description) change.description = description;
    if (!sameEvents(events, webhook.events)) change.events = events;
    if (Object.keys(change).length === 0) {
      message.info('Nothing to save: no field was changed.');
      onClose();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const updated = await roster.updateWebhook(orgId, webhook.id, change);
      message.success(`Endpoint ${shortUrl(updated.url)} saved.`);
      onSaved(updated);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) {
        message.error(errorMessage(caught));
        onRefused();
      } else if (!showWebhookErrors(form, caught)) {
        setError(errorMessage(caught));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="Edit endpoint"
      open={open}
      okText="Save"
      onOk={() => void submit()}
      confirmLoading={submitting}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
      forceRender
    >
      <p className="cell-secondary">The endpoint keeps its signing secret and its delivery history.</p>
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <WebhookForm name="edit-webhook" form={form} onSubmit={() => void submit()} />
    </Modal>
  );
}
