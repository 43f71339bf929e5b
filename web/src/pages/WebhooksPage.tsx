// Webhooks (admins): the organization's endpoints, each with its recent
// deliveries, and the dialogs to add one (its secret shown once), edit it,
// rotate its secret and delete it.
import { useCallback, useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Modal from 'antd/es/modal';
import Result from 'antd/es/result';
import Space from 'antd/es/space';
import Switch from 'antd/es/switch';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import PlusOutlined from '@ant-design/icons/es/icons/PlusOutlined';
import ReloadOutlined from '@ant-design/icons/es/icons/ReloadOutlined';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Webhook, WebhookDelivery } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { PageHeader } from '../components/PageHeader';
import { ShownOnceDialog } from '../features/ShownOnceDialog';
import { AddWebhookDialog, EditWebhookDialog } from '../features/WebhookDialogs';
import { formatDateTime } from '../lib/format';
import { useOrg } from '../lib/org';
import { useCursorList } from '../lib/useCursorList';
import { useReturnFocus } from '../lib/useReturnFocus';
import { useToast } from '../toast';

const STATUS_COLORS: Record<string, string> = { pending: 'gold', delivered: 'green', failed: 'red' };

/** When the endpoint's previous secret stops signing, while it still signs
 *  (SPEC section 7: 24 hours after a rotation); null when there is none. */
/** The list of someone who is no admin, not asked of the server. */
const NOTHING = Promise.resolve({ items: [], next_cursor: null });

function previousSecretUntil(webhook: Webhook | null): string | null {
  const until = webhook?.previous_secret_valid_until;
  return until && new Date(until).getTime() > Date.now() ? until : null;
}

/** A refusal of the server (409 `webhook_disabled`, 404 of an endpoint
 *  deleted elsewhere, …): the row is older than the server's state. */
function refused(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500;
}

/** The signing secret, shown once with a copy button, in a dialog that
 *  stays until the admin ticks that he has saved it (as a new API key's). */
function SecretDialog({ secret, note, open, onDone, afterClose }: {
  secret: string | null; note?: string | null; open: boolean; onDone: () => void; afterClose: () => void;
}) {
  return (
    <ShownOnceDialog title="Signing secret" open={open} confirmText="I have saved the secret"
                     onDone={onDone} afterClose={afterClose}>
      <Typography.Paragraph>
        Receivers verify every delivery with this secret. Copy it now: Roster does not show it again.
      </Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: secret ?? '', tooltips: ['Copy secret', 'Copied'] }} code
                            className="webhook-secret" data-testid="webhook-secret">
        {secret}
      </Typography.Paragraph>
      {note && <Typography.Paragraph>{note}</Typography.Paragraph>}
    </ShownOnceDialog>
  );
}

/** An endpoint's most recent deliveries, with "Redeliver". */
function Deliveries({ orgId, webhook, refreshKey, onRefused }: {
  orgId: string; webhook: Webhook; refreshKey: number; onRefused: () => void;
}) {
  const message = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const list = useCursorList<WebhookDelivery>(
    (cursor, signal) => roster.webhookDeliveries(orgId, webhook.id, { limit: 20, cursor }, signal),
    `${webhook.id}:${refreshKey}`,
  );
  const { reload } = list;
  // Pending deliveries change on their own: look again while there are any.
  const pending = list.items.some((item) => item.status === 'pending');
  useEffect(() => {
    if (!pending) return undefined;
    const timer = window.setTimeout(reload, 2000);
    return () => window.clearTimeout(timer);
  }, [pending, reload, list.items]);

  const redeliver = async (delivery: WebhookDelivery) => {
    setBusy(delivery.id);
    try {
      await roster.redeliver(orgId, webhook.id, delivery.id);
      message.success(`${delivery.type} queued again.`);
      reload();
    } catch (caught) {
      message.error(errorMessage(caught));
      if (refused(caught)) onRefused();
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="webhook-deliveries">
      <Space className="webhook-deliveries-head">
        <Typography.Text strong>Recent deliveries</Typography.Text>
        <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={reload}
                aria-label={`Reload deliveries of ${webhook.url}`}>Reload</Button>
      </Space>
      {list.error && <ListError error={list.error} onRetry={reload} />}
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: <EmptyState loading={list.loading} text="No deliveries yet. Send a test event." /> }}
        columns={[
          { title: 'Event', dataIndex: 'type', render: (type: string, item) => <span>{type}<div className="cell-secondary">#{item.event_id}</div></span> },
          { title: 'Status', dataIndex: 'status', render: (status: string) => <Tag color={STATUS_COLORS[status]}>{status}</Tag> },
          { title: 'Response', dataIndex: 'last_status_code', render: (code: number | null, item) => (
            <span>{code ?? '—'}{item.last_error && <div className="cell-secondary">{item.last_error}</div>}</span>
          ) },
          { title: 'Attempts', dataIndex: 'attempts', align: 'right' },
          { title: 'When', key: 'when', className: 'nowrap', render: (_: unknown, item) => (
            item.status === 'pending'
              ? <span>next try {formatDateTime(item.next_attempt_at)}</span>
              : formatDateTime(item.delivered_at ?? item.created_at)
          ) },
          { title: 'Action', key: 'action', render: (_: unknown, item) => (
            <Button size="small" loading={busy === item.id} disabled={!webhook.enabled}
                    onClick={() => void redeliver(item)} aria-label={`Redeliver ${item.type} #${item.event_id}`}>
              Redeliver
            </Button>
          ) },
        ]}
      />
      <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="deliveries" one="delivery" />
    </div>
  );
}

export default function WebhooksPage() {
  const { orgId, isAdmin } = useOrg();
  const message = useToast();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [showingSecret, setShowingSecret] = useState(false);
  const [secretNote, setSecretNote] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refresh, setRefresh] = useState<Record<string, number>>({});
  // After Edit, Rotate secret's secret, a Delete or a new endpoint's secret:
  // back to the button that opened it (the row's gone after a Delete: the page).
  const { remember, restore } = useReturnFocus();
  const list = useCursorList<Webhook>(
    // Someone who is no admin is told so without asking: the server's 403 was
    // an error in the browser's console on every visit.
    (cursor, signal) => (isAdmin ? roster.webhooks(orgId, { limit: 50, cursor }, signal) : NOTHING),
    isAdmin ? orgId : '',
  );
  const bump = useCallback((id: string) => setRefresh((old) => ({ ...old, [id]: (old[id] ?? 0) + 1 })), []);

  if (!isAdmin) {
    return <Result status="403" title="Admins only" subTitle="Only the organization's admins manage its webhooks." />;
  }

  const run = async (webhook: Webhook, what: string, action: () => Promise<void>) => {
    setBusy(`${webhook.id}:${what}`);
    try {
      await action();
    } catch (caught) {
      message.error(errorMessage(caught));
      // Disabled, changed or deleted elsewhere: show the server's state, so
      // that the switch is off when the toast says "enable it first".
      if (refused(caught)) {
        setDeleting(null);
        setRotating(null);
        list.reload();
      }
    } finally {
      setBusy(null);
    }
  };

  const setEnabled = (webhook: Webhook, enabled: boolean) => run(webhook, 'enabled', async () => {
    const updated = await roster.updateWebhook(orgId, webhook.id, { enabled });
    list.update((item) => item.id === webhook.id, updated);
    message.success(enabled ? 'Endpoint enabled.' : 'Endpoint disabled.');
  });

  const sendTest = (webhook: Webhook) => run(webhook, 'test', async () => {
    await roster.testWebhook(orgId, webhook.id);
    message.success('Test event queued.');
    bump(webhook.id);
  });

  const remove = (webhook: Webhook) => run(webhook, 'delete', async () => {
    await roster.deleteWebhook(orgId, webhook.id);
    setDeleting(null);
    list.update((item) => item.id === webhook.id, null);
    message.success('Endpoint deleted.');
  });

  const rotate = (webhook: Webhook) => run(webhook, 'rotate', async () => {
    const replaced = previousSecretUntil(webhook);
    const answer = await roster.rotateWebhookSecret(orgId, webhook.id);
    setRotating(null);
    setSecret(answer.secret);
    setSecretNote(replaced
      ? 'For 24 hours deliveries also carry the signature of the secret this one replaced. The secret before that no longer signs.'
      : 'For 24 hours deliveries also carry the old secret\'s signature, so the receiver can switch without losing events.');
    setShowingSecret(true);
    list.reload();
  });

  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Endpoints that hear about every change in the organization, signed with their secret."
        extra={<Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={(event) => { remember(event.currentTarget); setAdding(true); }}>Add endpoint</Button>}
      />
      <Card className="page-card">
        {list.error && <ListError error={list.error} onRetry={list.reload} />}
        <Table<Webhook>
          rowKey="id"
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 900 }}
          expandable={{
            expandedRowRender: (webhook) => <Deliveries orgId={orgId} webhook={webhook} refreshKey={refresh[webhook.id] ?? 0} onRefused={list.reload} />,
            expandRowByClick: false,
          }}
          locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The webhooks could not be loaded.' : 'No endpoints yet. Add one to hear about changes.'} /> }}
          columns={[
            { title: 'Endpoint', dataIndex: 'url', render: (url: string, webhook) => (
              <span className="webhook-url">{url}{webhook.description && <div className="cell-secondary">{webhook.description}</div>}
                {previousSecretUntil(webhook) && (
                  <div className="cell-secondary">Previous secret also signs until {formatDateTime(previousSecretUntil(webhook))}</div>
                )}
              </span>
            ) },
            { title: 'Events', dataIndex: 'events', render: (events: string[]) => (
              events.includes('*') ? <Tag>All events</Tag>
                : <span>{events.map((event) => <Tag key={event}>{event}</Tag>)}</span>
            ) },
            { title: 'Enabled', dataIndex: 'enabled', render: (enabled: boolean, webhook) => (
              <span>
                <Switch checked={enabled} loading={busy === `${webhook.id}:enabled`}
                        aria-label={`${enabled ? 'Disable' : 'Enable'} ${webhook.url}`}
                        onChange={(next) => void setEnabled(webhook, next)} />
                {!enabled && webhook.disabled_reason && <div className="cell-secondary">{webhook.disabled_reason}</div>}
                {enabled && webhook.failing_since && <div className="cell-secondary">failing since {formatDateTime(webhook.failing_since)}</div>}
              </span>
            ) },
            { title: 'Action', key: 'action', render: (_: unknown, webhook) => (
              <Space wrap>
                <Button size="small" onClick={(event) => { remember(event.currentTarget); setEditing(webhook); }} aria-label={`Edit ${webhook.url}`}>Edit</Button>
                <Button size="small" disabled={!webhook.enabled} loading={busy === `${webhook.id}:test`}
                        onClick={() => void sendTest(webhook)} aria-label={`Send test event to ${webhook.url}`}>
                  Send test event
                </Button>
                <Button size="small" onClick={(event) => { remember(event.currentTarget); setRotating(webhook); }} aria-label={`Rotate secret of ${webhook.url}`}>Rotate secret</Button>
                <Button size="small" danger onClick={(event) => { remember(event.currentTarget); setDeleting(webhook); }} aria-label={`Delete ${webhook.url}`}>Delete</Button>
              </Space>
            ) },
          ]}
        />
        <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="endpoints" one="endpoint" />
      </Card>
      <AddWebhookDialog orgId={orgId} open={adding} onClose={() => setAdding(false)}
                        onCreated={(created) => { setAdding(false); setSecret(created); setSecretNote(null); setShowingSecret(true); list.reload(); }} />
      <EditWebhookDialog orgId={orgId} webhook={editing} onClose={() => setEditing(null)}
                         onSaved={(updated) => { setEditing(null); list.update((item) => item.id === updated.id, updated); }}
                         onRefused={() => { setEditing(null); list.reload(); }} afterClose={restore} />
      <SecretDialog secret={secret} note={secretNote} open={showingSecret} onDone={() => setShowingSecret(false)}
                    afterClose={() => { setSecret(null); setSecretNote(null); restore(); }} />
      <Modal
        title="Delete endpoint?"
        open={deleting !== null}
        okText="Delete"
        okButtonProps={{ danger: true, loading: deleting !== null && busy === `${deleting.id}:delete` }}
        onOk={() => deleting && void remove(deleting)}
        onCancel={() => setDeleting(null)}
        afterClose={restore}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {deleting?.url} stops receiving events at once, and its delivery history is deleted.
        </Typography.Paragraph>
      </Modal>
      <Modal
        title="Rotate the signing secret?"
        open={rotating !== null}
        okText="Rotate secret"
        okButtonProps={{ loading: rotating !== null && busy === `${rotating.id}:rotate` }}
        onOk={() => rotating && void rotate(rotating)}
        onCancel={() => setRotating(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          A new secret signs every delivery from now on. For 24 hours deliveries carry the current secret's
          signature too, so the receiver can switch without losing events.
        </Typography.Paragraph>
        {previousSecretUntil(rotating) && (
          <Alert
            type="warning"
            showIcon
            className="form-alert"
            title="The previous secret stops signing at once."
            description={`Since the last rotation it signs until ${formatDateTime(previousSecretUntil(rotating))}. `
              + 'Roster keeps one previous secret: rotating again makes the current secret the previous one, '
              + 'and a receiver still checking the older one starts rejecting deliveries.'}
          />
        )}
      </Modal>
    </>
  );
}
