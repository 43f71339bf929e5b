// API keys (SPEC.md section 7): "Create API key" → name, scope, expiry; then
// the new key, shown once, in a dialog that stays until the admin says the
// key is copied — Roster keeps only its hash and can never show it again.
import { useState } from 'react';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { ApiKeyScope, NewApiKey } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { showFieldErrors } from '../lib/fieldErrors';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';
import { ShownOnceDialog } from './ShownOnceDialog';

export const SCOPES: { value: ApiKeyScope; label: string; color: string; text: string }[] = [
  { value: 'read', label: 'Read', color: 'green',
    text: 'Every read an org admin may do: members, assistants, leads, the audit log. It changes nothing.' },
  { value: 'admin', label: 'Admin', color: 'geekblue',
    text: 'What an org admin may do through the API, except managing API keys and webhooks.' },
  { value: 'scim', label: 'SCIM', color: 'purple',
    text: 'Only provisioning from an identity provider (SCIM 2.0).' },
];

/** A key's name where all of it may not fit (a toast, a confirmation's
 *  title): up to 60 characters, cut with "…". */
export function shortName(name: string): string {
  const characters = [...name];
  return characters.length > 60 ? `${characters.slice(0, 59).join('')}…` : name;
}

export function ScopeTag({ scope }: { scope: ApiKeyScope }) {
  const known = SCOPES.find((item) => item.value === scope);
  return <Tag color={known?.color}>{known?.label ?? scope}</Tag>;
}

interface Fields {
  name: string;
  scope: ApiKeyScope;
  /** A day (YYYY-MM-DD) from the date field, or empty: no expiry. */
  expires_on?: string;
}

/** "YYYY-MM-DD" of the local day `days` after today. */
function localDay(days: number): string {
  const day = new Date();
  day.setDate(day.getDate() + days);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The end of the local day "YYYY-MM-DD", as RFC 3339 (UTC) in whole
 *  seconds: the server reads no fractions of a second. */
function endOfDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 23, 59, 59).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function CreateApiKeyDialog({ orgId, open, onClose, onCreated }: {
  orgId: string; open: boolean; onClose: () => void; onCreated: (apiKey: NewApiKey) => void;
}) {
  const [form] = Form.useForm<Fields>();
  const message = useToast();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    let fields: Fields;
    try {
      fields = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const apiKey = await roster.createApiKey(orgId, {
        name: fields.name.trim(),
        scope: fields.scope,
        expires_at: fields.expires_on ? endOfDay(fields.expires_on) : undefined,
      });
      message.success(`API key ${shortName(apiKey.name)} created.`);
      form.resetFields();
      onCreated(apiKey);
    } catch (caught) {
      const fieldOf = { name: 'name', scope: 'scope', expires_at: 'expires_on' } as const;
      if (!showFieldErrors(form, caught, fieldOf)) setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="Create API key"
      open={open}
      okText="Create API key"
      onOk={() => void submit()}
      confirmLoading={submitting}
      onCancel={() => { setError(null); form.resetFields(); onClose(); }}
      destroyOnHidden
      forceRender
    >
      <p className="cell-secondary">
        The key acts for the organization, not for you: it keeps working if you leave.
      </p>
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form<Fields>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{ scope: 'read', expires_on: '' }}
        onFinish={() => void submit()}
      >
        <Form.Item
          label="Name"
          name="name"
          extra="What uses the key, so that you recognize it later."
          rules={[{ required: true, whitespace: true, message: 'Name the key.' }]}
        >
          <Input autoComplete="off" placeholder="e.g. CRM sync" maxLength={200} />
        </Form.Item>
        <Form.Item label="Scope" name="scope" rules={[{ required: true, message: 'Choose what the key may do.' }]}>
          <Radio.Group
            aria-label="Scope"
            className="scope-choice"
            options={SCOPES.map((scope) => ({
              value: scope.value,
              label: (
                <span>
                  <strong>{scope.label}</strong>
                  <span className="scope-choice-text">{scope.text}</span>
                </span>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          label="Expires"
          name="expires_on"
          extra="The key stops working at the end of this day. Leave it empty for a key that does not expire."
          rules={[{
            validator: (_, value?: string) => (!value || value >= localDay(1)
              ? Promise.resolve()
              : Promise.reject(new Error('Choose a day after today.'))),
          }]}
        >
          <Input type="date" min={localDay(1)} className="date-input" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

/** Where an identity provider sends SCIM requests: this server's /scim/v2
 *  (docs/scim.md), at the address the browser opened the console with —
 *  ROSTER_PUBLIC_URL, where the operator set it to the address users type. */
export function scimBaseUrl(): string {
  return `${window.location.origin}/scim/v2`;
}

/** A SCIM key's other half: the base URL, with its own Copy, and the field
 *  of each identity provider it goes in (docs/scim.md's words). */
function ScimBaseUrl() {
  const url = scimBaseUrl();
  return (
    <Form.Item
      label="SCIM base URL"
      htmlFor="new-api-key-scim-url"
      extra={<>In Okta, the <em>SCIM connector base URL</em>; in Microsoft Entra ID, the <em>Tenant URL</em>. The API keys page shows it too.</>}
    >
      <Space.Compact block>
        <Input
          id="new-api-key-scim-url"
          readOnly
          value={url}
          onFocus={(event) => event.target.select()}
        />
        <CopyButton
          text={url}
          shownIn="new-api-key-scim-url"
          copiedMessage="SCIM base URL copied."
          selectedMessage="The URL is selected"
          subject="the SCIM base URL"
        />
      </Space.Compact>
    </Form.Item>
  );
}

/** The new key, once. Neither Escape nor a click outside closes it before
 *  "I have copied the key" is ticked. Give it a new `key` per API key, and
 *  forget the key in `afterClose`. */
export function NewApiKeyDialog({ apiKey, open, onDone, afterClose }: {
  apiKey: NewApiKey | null; open: boolean; onDone: () => void; afterClose: () => void;
}) {
  useFocusWhenOpen(open, 'new-api-key-copy');
  const scim = apiKey?.scope === 'scim';

  return (
    <ShownOnceDialog
      title="Copy your new API key"
      open={open}
      confirmText="I have copied the key"
      onDone={onDone}
      afterClose={afterClose}
      width={640}
    >
      {apiKey && (
        <>
          <Alert
            type="warning"
            showIcon
            className="form-alert"
            title="Copy the key now. It will not be shown again."
            description="Roster keeps only a fingerprint of it. If the key is lost, revoke it and create another."
          />
          <p>
            <strong>{apiKey.name}</strong> <ScopeTag scope={apiKey.scope} />
          </p>
          <Form layout="vertical" component="div">
            <Form.Item
              label="API key"
              htmlFor="new-api-key"
              extra={scim
                ? <>In Okta, the <em>Bearer token</em> (Authentication Mode: HTTP Header); in Microsoft Entra ID, the <em>Secret Token</em>.</>
                : <>Send it as <code>Authorization: Bearer &lt;key&gt;</code>.</>}
            >
              <Space.Compact block>
                <Input
                  id="new-api-key"
                  readOnly
                  value={apiKey.key}
                  className="api-key-secret"
                  onFocus={(event) => event.target.select()}
                />
                <CopyButton
                  id="new-api-key-copy"
                  text={apiKey.key}
                  shownIn="new-api-key"
                  copiedMessage="API key copied."
                  selectedMessage="The key is selected"
                />
              </Space.Compact>
            </Form.Item>
            {scim && <ScimBaseUrl />}
          </Form>
        </>
      )}
    </ShownOnceDialog>
  );
}
