// Creating a lead, handing one lead to another user of its assistant, and
// who can see a lead and why.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Select from 'antd/es/select';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import { ApiError, errorMessage } from '../api/client';
import { allPages, roster } from '../api/roster';
import type { AccessReason, Assistant, AssistantUser, Lead, LeadAccess } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { showFieldErrors } from '../lib/fieldErrors';
import { personOption } from '../lib/format';
import { useOrg } from '../lib/org';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';

/** The users of one assistant the signed-in user may see (all, for admins
 *  and managers) who may own leads: not the deactivated ones, whom the
 *  server refuses as owners. (Someone invited may own leads.) */
export function useAssistantUsers(orgId: string, assistantId: string | undefined) {
  const [users, setUsers] = useState<AssistantUser[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setUsers([]);
    setError(null);
    if (!assistantId) return;
    let live = true;
    setLoading(true);
    allPages((cursor) => roster.assistantUsers(orgId, assistantId, { limit: 200, cursor }))
      .then((items) => {
        if (live) setUsers(items.filter((user) => user.status !== 'deactivated'));
      })
      .catch((caught) => { if (live) setError(errorMessage(caught)); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [orgId, assistantId]);
  return { users, loading, error };
}

export function ReassignLeadDialog({ orgId, lead, assistantName, ownerName, onClose, onGone, onDone }: {
  orgId: string; lead: Lead | null; assistantName: string; ownerName: string;
  onClose: () => void;
  /** The lead answered 404: no longer his to see (the list says so and reloads). */
  onGone: (lead: Lead) => void;
  onDone: (lead: Lead) => void;
}) {
  const message = useToast();
  const { users, loading, error: usersError } = useAssistantUsers(orgId, lead?.assistant_id);
  const owner = useChoice(lead);
  // In New owner, not on ×; antd gives the focus back to the row's Reassign on close.
  useFocusWhenOpen(lead !== null, 'lead-new-owner');

  const proceed = () => owner.proceed(async (ownerId) => {
    if (!lead) return;
    let updated: Lead;
    try {
      updated = await roster.updateLead(orgId, lead.id, { owner_id: ownerId });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) { onGone(lead); return; }
      throw caught;
    }
    const name = users.find((user) => user.user_id === ownerId)?.name ?? 'the new owner';
    message.success(`${lead.name} now belongs to ${name}.`);
    onDone(updated);
  });

  return (
    <Modal
      title="Reassign lead"
      open={lead !== null}
      okText="Reassign"
      confirmLoading={owner.busy}
      onOk={() => void proceed()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>
        <strong>{lead?.name}</strong> on {assistantName} belongs to {ownerName}. Choose another user of this assistant.
      </p>
      {(owner.error || usersError) && <Alert type="error" showIcon role="alert" title={owner.error ?? usersError} className="form-alert" />}
      <ChoiceField choice={owner} id="lead-new-owner" label="New owner" missingText="Choose the new owner.">
        <Select
          id="lead-new-owner"
          value={owner.chosen}
          onChange={owner.choose}
          loading={loading}
          placeholder="A user of this assistant"
          showSearch={{ optionFilterProp: 'label' }}
          notFoundContent="No other users on this assistant"
          options={users.filter((user) => user.user_id !== lead?.owner_id).map(personOption)}
        />
      </ChoiceField>
    </Modal>
  );
}

interface LeadFields {
  name: string;
  email: string;
  company?: string;
  assistant_id: string;
  owner_id?: string;
}

export function CreateLeadDialog({ orgId, open, assistants, fixedAssistantId, onClose, onCreated }: {
  orgId: string; open: boolean; assistants: Assistant[]; fixedAssistantId?: string;
  onClose: () => void; onCreated: (lead: Lead) => void;
}) {
  const message = useToast();
  const [form] = Form.useForm<LeadFields>();
  const assistantId = Form.useWatch('assistant_id', form);
  // The first field, not the dialog's frame: a Tab there went to the close button.
  useFocusWhenOpen(open, 'new-lead_name');
  const { users, loading } = useAssistantUsers(orgId, assistantId);
  const { userId } = useOrg();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // An admin who is not on the assistant cannot own its lead: he chooses
  // one of its users rather than learn it from a refusal.
  const mustChoose = Boolean(assistantId) && !loading && !users.some((user) => user.user_id === userId);
  let ownerHint = 'Leave empty to own it yourself.';
  if (mustChoose) {
    ownerHint = users.length > 0
      ? 'You are not on this assistant: choose one of its users.'
      : 'No one is on this assistant yet: assign users to it first.';
  }

  useEffect(() => {
    if (open) form.setFieldsValue({ assistant_id: fixedAssistantId ?? assistants[0]?.id });
  }, [open, fixedAssistantId, assistants, form]);
  useEffect(() => { form.setFieldValue('owner_id', undefined); }, [assistantId, form]);

  const submit = async () => {
    let fields: LeadFields;
    try {
      fields = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const lead = await roster.createLead(orgId, {
        name: fields.name.trim(),
        email: fields.email.trim(),
        company: fields.company?.trim() || undefined,
        assistant_id: fields.assistant_id,
        owner_id: fields.owner_id,
      });
      message.success(`Lead ${lead.name} created.`);
      form.resetFields();
      onCreated(lead);
    } catch (caught) {
      const fieldOf = { name: 'name', email: 'email', company: 'company', assistant_id: 'assistant_id', owner_id: 'owner_id' } as const;
      if (!showFieldErrors(form, caught, fieldOf)) setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="New lead"
      open={open}
      okText="Create lead"
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={() => { setError(null); onClose(); }}
      forceRender
    >
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form<LeadFields> form={form} name="new-lead" layout="vertical" requiredMark="optional" onFinish={() => void submit()}>
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Enter the lead\'s name.' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="E-mail" name="email"
                   rules={[{ required: true, message: 'Enter the lead\'s e-mail.' }, { type: 'email', message: 'Enter a valid e-mail address.' }]}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item label="Company" name="company">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="Assistant" name="assistant_id" rules={[{ required: true, message: 'Choose the assistant.' }]}>
          <Select
            disabled={Boolean(fixedAssistantId)}
            options={assistants.map((assistant) => ({ value: assistant.id, label: assistant.name }))}
            notFoundContent="You are not assigned to any assistant"
          />
        </Form.Item>
        <Form.Item label="Owner" name="owner_id" extra={ownerHint}
                   rules={[{ required: mustChoose, message: 'Choose the owner.' }]}>
          <Select
            allowClear
            loading={loading}
            placeholder={mustChoose ? 'Choose the owner' : 'Yourself'}
            showSearch={{ optionFilterProp: 'label' }}
            options={users.map(personOption)}
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

const REASONS: Record<AccessReason, { label: string; color: string }> = {
  org_admin: { label: 'Org admin', color: 'purple' },
  owner: { label: 'Owner', color: 'green' },
  manager_of_assistant: { label: 'Manager of the assistant', color: 'gold' },
};

/** Who can see `lead` and why (GET /leads/{id}/access): one row per person
 *  and reason, as the server explains its visibility rule. Admins and the
 *  managers of its assistant may ask; a 404 means the lead is no longer his
 *  to see, and goes to `onGone` rather than showing "No such lead." over an
 *  empty table. */
export function LeadAccessList({ orgId, lead, onGone }: {
  orgId: string; lead: Lead; onGone: (lead: Lead) => void;
}) {
  const [rows, setRows] = useState<LeadAccess[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRows([]);
    setError(null);
    let live = true;
    setLoading(true);
    roster.leadAccess(orgId, lead.id)
      .then((answer) => { if (live) setRows(answer.items); })
      .catch((caught) => {
        if (!live) return;
        if (caught instanceof ApiError && caught.status === 404) onGone(lead);
        else setError(errorMessage(caught));
      })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
    // onGone is a new function on every render of the list; the request
    // belongs to the lead alone.
  }, [orgId, lead]);

  return (
    <>
      <p className="lead-access-intro">
        Active members who see <strong>{lead.name}</strong>: every org admin, its owner, and the managers
        of its assistant. Someone with two reasons is listed twice.
      </p>
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Table<LeadAccess>
        className="lead-access"
        rowKey={(row) => `${row.user_id}:${row.because}`}
        dataSource={rows}
        loading={loading}
        pagination={false}
        size="small"
        columns={[
          { title: 'Person', dataIndex: 'name',
            render: (name: string, row) => (<span>{name}<div className="cell-secondary">{row.email}</div></span>) },
          { title: 'Because', dataIndex: 'because', width: 220,
            render: (because: AccessReason) => <Tag color={REASONS[because]?.color}>{REASONS[because]?.label ?? because}</Tag> },
        ]}
      />
    </>
  );
}

export function LeadAccessDialog({ orgId, lead, onClose, onGone }: {
  orgId: string; lead: Lead | null; onClose: () => void;
  /** The lead answered 404: no longer his to see (the list says so and reloads). */
  onGone: (lead: Lead) => void;
}) {
  return (
    <Modal
      title="Who can see this lead and why"
      open={lead !== null}
      onCancel={onClose}
      footer={null}
      width={640}
      destroyOnHidden
    >
      {lead && <LeadAccessList orgId={orgId} lead={lead} onGone={onGone} />}
    </Modal>
  );
}
