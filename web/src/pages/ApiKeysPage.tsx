// The organization's API keys (admins, SPEC.md section 7): what each may do,
// who made it, when it was last used; "Create API key" shows the new key
// once; "Revoke" ends a key at once.
import { useRef, useState } from 'react';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Popconfirm from 'antd/es/popconfirm';
import Result from 'antd/es/result';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import PlusOutlined from '@ant-design/icons/es/icons/PlusOutlined';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { ApiKey, NewApiKey } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { PageHeader } from '../components/PageHeader';
import { CreateApiKeyDialog, NewApiKeyDialog, SCOPES, ScopeTag, scimBaseUrl, shortName } from '../features/ApiKeyDialogs';
import { dayAndTime, formatDateTime } from '../lib/format';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useReturnFocus } from '../lib/useReturnFocus';
import { useOrg } from '../lib/org';
import { useCursorList } from '../lib/useCursorList';
import { useToast } from '../toast';
import './apiKeys.css';

const PAGE_SIZE = 50;

/** "rk_1a2B3c4D…": enough of the key to tell which one it is. */
/** The list of someone who is no admin, not asked of the server. */
const NOTHING = Promise.resolve({ items: [], next_cursor: null });

function shownPrefix(prefix: string): string {
  return `${prefix.startsWith('rk_') ? prefix : `rk_${prefix}`}…`;
}

function RevokeButton({ orgId, apiKey, onRevoked }: { orgId: string; apiKey: ApiKey; onRevoked: () => void }) {
  const message = useToast();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const cancelId = `revoke-api-key-${apiKey.id}-cancel`;
  // A revocation cannot be undone: the confirmation opens on "Cancel".
  useFocusWhenOpen(open, cancelId);

  const revoke = async () => {
    setBusy(true);
    try {
      await roster.revokeApiKey(orgId, apiKey.id);
      message.success(`API key ${shortName(apiKey.name)} revoked.`);
      setOpen(false);
      onRevoked();
    } catch (error) {
      message.error(errorMessage(error));
      // Revoked meanwhile (another admin, another tab): it is gone all the same.
      if (error instanceof ApiError && error.status === 404) {
        setOpen(false);
        onRevoked();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popconfirm
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        // Escape or Cancel: back to Revoke (the focus fell to the body). After
        // a Revoke the row goes, and onRevoked moves the focus to the page.
        if (!next) window.setTimeout(() => button.current?.focus(), 0);
      }}
      title={`Revoke the API key ${shortName(apiKey.name)}?`}
      description="Whatever uses it is refused at once. This cannot be undone."
      okText="Revoke"
      cancelText="Cancel"
      okButtonProps={{ danger: true, loading: busy }}
      cancelButtonProps={{ id: cancelId }}
      onConfirm={() => void revoke()}
      placement="left"
    >
      <Button ref={button} size="small" danger aria-label={`Revoke ${apiKey.name}`} loading={busy}>Revoke</Button>
    </Popconfirm>
  );
}

/** A moment in two short lines, day over time; `never` when there is none. */
function When({ at, never = '—' }: { at: string | null; never?: string }) {
  const when = dayAndTime(at);
  if (!when) return <>{at ?? never}</>;
  return <span title={formatDateTime(at)}>{when.day}<div className="cell-secondary">{when.time}</div></span>;
}

function expiry(expiresAt: string | null) {
  if (!expiresAt || new Date(expiresAt).getTime() > Date.now()) return <When at={expiresAt} never="Never" />;
  return <span><Tag color="volcano">Expired</Tag><div className="cell-secondary">{formatDateTime(expiresAt)}</div></span>;
}

export default function ApiKeysPage() {
  const { orgId, orgName, isAdmin } = useOrg();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [showingKey, setShowingKey] = useState(false);
  // After the new key's Done: back to "Create API key" (the dialog opened
  // from the create dialog, so antd gave the focus back to nothing).
  const { remember, restore } = useReturnFocus();
  const list = useCursorList<ApiKey>(
    // Someone who is no admin is told so without asking: the server's 403 was
    // an error in the browser's console on every visit.
    (cursor, signal) => (isAdmin ? roster.apiKeys(orgId, { limit: PAGE_SIZE, cursor }, signal) : NOTHING),
    isAdmin ? orgId : '',
  );

  if (!isAdmin) {
    return <Result status="403" title="Admins only" subTitle="Only the organization's admins can manage its API keys." />;
  }

  return (
    <>
      <PageHeader
        title="API keys"
        subtitle={`Keys let a script, a CRM sync or an identity provider use Roster's API for ${orgName} without anyone signing in. A key belongs to the organization, not to whoever created it.`}
        extra={<Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={(event) => { remember(event.currentTarget); setCreating(true); }}>Create API key</Button>}
      />
      <Card className="page-card">
        <dl className="scope-legend" aria-label="Scopes">
          {SCOPES.map((scope) => (
            <div key={scope.value}>
              <dt><ScopeTag scope={scope.value} /></dt>
              <dd>
                {scope.text}
                {/* What an identity provider's admin types next to a SCIM key. */}
                {scope.value === 'scim' && <> Base URL: <code data-testid="scim-base-url">{scimBaseUrl()}</code></>}
              </dd>
            </div>
          ))}
        </dl>
        {list.error && <ListError error={list.error} onRetry={list.reload} />}
        <Table<ApiKey>
          className="api-keys-table"
          rowKey="id"
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The API keys could not be loaded.'
            : 'No API keys yet. Create one for each script or service that should use Roster\'s API, and revoke it when it is no longer needed.'} /> }}
          columns={[
            { title: 'Name', dataIndex: 'name', className: 'api-key-name', render: (name: string) => <span className="cell-truncate" title={name}>{name}</span> },
            { title: 'Scope', dataIndex: 'scope', width: 100, render: (scope: ApiKey['scope']) => <ScopeTag scope={scope} /> },
            { title: 'Key', dataIndex: 'prefix', width: 140, render: (prefix: string) => <code className="api-key-prefix">{shownPrefix(prefix)}</code> },
            {
              title: 'Created by',
              key: 'created_by',
              render: (_: unknown, apiKey) => (apiKey.created_by
                ? (
                  <span className="api-key-creator">
                    <span className="cell-truncate" title={apiKey.created_by.name}>{apiKey.created_by.name}</span>{' '}
                    <div className="cell-secondary cell-truncate cell-line" title={apiKey.created_by.email}>{apiKey.created_by.email}</div>
                  </span>
                )
                : <span className="cell-secondary">Former member</span>),
            },
            { title: 'Created', dataIndex: 'created_at', className: 'nowrap', render: (value: string) => <When at={value} /> },
            { title: 'Expires', dataIndex: 'expires_at', className: 'nowrap', render: expiry },
            { title: 'Last used', dataIndex: 'last_used_at', className: 'nowrap', render: (value: string | null) => <When at={value} never="Never" /> },
            {
              title: 'Action',
              key: 'action',
              width: 100,
              render: (_: unknown, apiKey) => (
                <RevokeButton
                  orgId={orgId}
                  apiKey={apiKey}
                  onRevoked={() => {
                    list.update((item) => item.id === apiKey.id, null);
                    // Its row and button are gone: keep the keyboard's place on the page.
                    document.getElementById('main')?.focus();
                  }}
                />
              ),
            },
          ]}
        />
        <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="keys" one="key" />
      </Card>
      <CreateApiKeyDialog
        orgId={orgId}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(apiKey) => { setCreating(false); setCreated(apiKey); setShowingKey(true); list.reload(); }}
      />
      <NewApiKeyDialog
        key={created?.id}
        apiKey={created}
        open={showingKey}
        onDone={() => setShowingKey(false)}
        afterClose={() => { setCreated(null); restore(); }}
      />
    </>
  );
}
