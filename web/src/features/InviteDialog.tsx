// "Invite" → name, e-mail, role, assistants → "Invite user" (SPEC 2.4).
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Select from 'antd/es/select';
import { errorMessage } from '../api/client';
import { lifecycle } from '../api/lifecycle';
import { roster } from '../api/roster';
import type { Member, Role } from '../api/types';
import { showFieldErrors } from '../lib/fieldErrors';
import { formatDuration } from '../lib/format';
import { useAssistants } from '../lib/useAssistants';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';

interface Fields {
  name: string;
  email: string;
  role: Role;
  assistant_ids: string[];
}

export function InviteDialog({ orgId, open, onClose, onInvited }: {
  orgId: string; open: boolean; onClose: () => void; onInvited: (member: Member) => void;
}) {
  const [form] = Form.useForm<Fields>();
  const message = useToast();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const assistants = useAssistants(orgId, open);
  // The first field, not the dialog's frame: a Tab there went to the close button.
  useFocusWhenOpen(open, 'invite-user_name');
  // The lifetime is the server's setting (ROSTER_INVITE_TTL), not always 24 hours.
  const [lifetime, setLifetime] = useState<number | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    lifecycle.settings(orgId)
      .then((settings) => { if (live && settings.invite_ttl_seconds) setLifetime(settings.invite_ttl_seconds); })
      .catch(() => { /* The sentence then leaves the lifetime to the e-mail, which gives the exact expiry. */ });
    return () => { live = false; };
  }, [orgId, open]);

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
      const member = await roster.invite(orgId, {
        name: fields.name.trim(),
        email: fields.email.trim(),
        role: fields.role,
        assistant_ids: fields.assistant_ids ?? [],
      });
      message.success(member.status === 'active'
        ? `${member.name} already had an account and was added.`
        : `Invitation sent to ${member.email}.`);
      form.resetFields();
      onInvited(member);
    } catch (caught) {
      const fieldOf = { name: 'name', email: 'email', role: 'role', assistant_ids: 'assistant_ids' } as const;
      if (!showFieldErrors(form, caught, fieldOf)) setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="Invite a user"
      open={open}
      okText="Invite user"
      onOk={() => void submit()}
      confirmLoading={submitting}
      onCancel={() => { setError(null); onClose(); }}
      destroyOnHidden
      forceRender
    >
      <p className="cell-secondary">
        {lifetime === null
          ? 'They receive an e-mail with a one-time password and the time it expires.'
          : `They receive an e-mail with a one-time password that works for ${formatDuration(lifetime)}.`}
      </p>
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form<Fields>
        form={form}
        name="invite-user"
        layout="vertical"
        requiredMark="optional"
        initialValues={{ role: 'user', assistant_ids: [] }}
        onFinish={() => void submit()}
      >
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Enter their name.' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="E-mail"
          name="email"
          rules={[{ required: true, message: 'Enter their e-mail address.' },
                  { type: 'email', message: 'Enter a valid e-mail address.' }]}
        >
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item label="Role" name="role" rules={[{ required: true, message: 'Choose a role.' }]}>
          <Radio.Group
            aria-label="Role"
            optionType="button"
            options={[{ value: 'user', label: 'User' }, { value: 'admin', label: 'Org admin' }]}
          />
        </Form.Item>
        <Form.Item
          label="Assistants"
          name="assistant_ids"
          extra={assistants.error ? `Assistants could not be loaded: ${assistants.error}` : undefined}
        >
          <Select
            mode="multiple"
            placeholder="Choose assistants"
            loading={assistants.loading}
            showSearch={{ optionFilterProp: 'label' }}
            options={assistants.assistants.map((assistant) => ({ value: assistant.id, label: assistant.name }))}
            notFoundContent="No assistants yet"
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
