// Assistants: all of them for admins, the ones assigned to the user otherwise.
import { useState } from 'react';
import { Link } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import PlusOutlined from '@ant-design/icons/es/icons/PlusOutlined';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Assistant } from '../api/types';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../lib/format';
import { useOrg } from '../lib/org';
import { useCursorList } from '../lib/useCursorList';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';
import { EmptyState } from '../components/EmptyState';
import '../assistants.css';

/** Only the managers of an assistant (and admins) see who is on it. */
const USERS_HIDDEN = 'Only its managers see who is on it';

function UsersHidden() {
  return (
    <span className="cell-secondary" title={USERS_HIDDEN}>
      <span aria-hidden>—</span>
      <span className="visually-hidden">{USERS_HIDDEN}</span>
    </span>
  );
}

function CreateAssistantDialog({ orgId, open, onClose, onCreated }: {
  orgId: string; open: boolean; onClose: () => void; onCreated: (assistant: Assistant) => void;
}) {
  const [form] = Form.useForm<{ name: string }>();
  const message = useToast();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // In Name, not on ×; antd gives the focus back to "Create assistant" on close.
  useFocusWhenOpen(open, 'create-assistant_name');

  const submit = async () => {
    let name: string;
    try {
      name = (await form.validateFields()).name.trim();
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const assistant = await roster.createAssistant(orgId, name);
      message.success(`Assistant ${assistant.name} created.`);
      form.resetFields();
      onCreated(assistant);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="Create assistant"
      open={open}
      okText="Create assistant"
      onOk={() => void submit()}
      confirmLoading={submitting}
      onCancel={() => { setError(null); onClose(); }}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form form={form} name="create-assistant" layout="vertical" requiredMark={false} onFinish={() => void submit()}>
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Name the assistant.' }]}>
          <Input autoComplete="off" placeholder="e.g. Outbound EU" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function AssistantsPage() {
  const { orgId, isAdmin, managedAssistantIds } = useOrg();
  const [creating, setCreating] = useState(false);
  const list = useCursorList<Assistant>(
    (cursor, signal) => roster.assistants(orgId, { limit: 50, cursor }, signal),
    orgId,
  );

  return (
    <>
      <PageHeader
        title="Assistants"
        subtitle={isAdmin
          ? 'Every AI sales assistant of the organization and how many users share it.'
          : managedAssistantIds.length > 0
            ? 'The AI sales assistants you are assigned to, and how many users share those you manage.'
            : 'The AI sales assistants you are assigned to.'}
        extra={isAdmin && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>Create assistant</Button>
        )}
      />
      <Card className="page-card">
        {list.error && <ListError error={list.error} onRetry={list.reload} />}
        <Table<Assistant>
          className="assistants-table"
          rowKey="id"
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The assistants could not be loaded.'
            : isAdmin ? 'No assistants yet. Create one to get started.' : 'You are not assigned to any assistant yet.'} /> }}
          columns={[
            {
              title: 'Name',
              dataIndex: 'name',
              render: (name: string, assistant) => (
                <span>
                  <Link to={`/orgs/${orgId}/assistants/${assistant.id}`}>{name}</Link>
                  {managedAssistantIds.includes(assistant.id) && <Tag color="gold" className="inline-tag">You manage</Tag>}
                </span>
              ),
            },
            {
              title: 'Users',
              dataIndex: 'user_count',
              width: 120,
              align: 'right',
              // The server counts the users he may see: to someone who only
              // sees himself on it, "1" read as "you are alone on it".
              render: (count: number, assistant) => (isAdmin || managedAssistantIds.includes(assistant.id)
                ? count
                : <UsersHidden />),
            },
            { title: 'Created', dataIndex: 'created_at', width: 220, className: 'nowrap', render: (value: string) => formatDateTime(value) },
          ]}
        />
        <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="assistants" one="assistant" />
      </Card>
      {isAdmin && (
        <CreateAssistantDialog
          orgId={orgId}
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={() => { setCreating(false); list.reload(); }}
        />
      )}
    </>
  );
}
