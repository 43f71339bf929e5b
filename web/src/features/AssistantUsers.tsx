// An assistant's Users tab (SPEC 2.6): who is assigned, who manages it, and
// for admins the Action menu (manager on/off with "Proceed", Unassign) and
// "Assign users".
import { useCallback, useEffect, useRef, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Checkbox from 'antd/es/checkbox';
import Form from 'antd/es/form';
import Modal from 'antd/es/modal';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import CrownOutlined from '@ant-design/icons/es/icons/CrownOutlined';
import UsergroupAddOutlined from '@ant-design/icons/es/icons/UsergroupAddOutlined';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Assistant, AssistantUser } from '../api/types';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { MemberSelect } from '../components/MemberSelect';
import { RowActions } from '../components/RowActions';
import { plural } from '../lib/format';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useOrg } from '../lib/org';
import { useReturnFocus } from '../lib/useReturnFocus';
import { rememberPeople } from '../lib/usePeople';
import { useCursorList } from '../lib/useCursorList';
import { NARROW_SCREEN, useMediaQuery } from '../lib/useMediaQuery';
import { useSession } from '../session';
import { useToast } from '../toast';
import { UnassignDialog } from './UnassignDialog';
import { MoveLeadsDialog } from './MoveLeadsDialog';
import { EmptyState } from '../components/EmptyState';

/** Beside the name of someone not active in the organization, in Org users' words and colours. */
const NOT_ACTIVE = {
  invited: { color: 'blue', children: 'Invited' },
  invite_expired: { color: 'volcano', children: 'Invite expired' },
  deactivated: { children: 'Deactivated' },
} as const;

/** The row menu: manager on/off, confirmed here with "Proceed"; "Unassign"
 *  opens the page's UnassignDialog (see onUnassign), "Move all leads to…"
 *  its MoveLeadsDialog. A manager who is no admin gets only the last. */
function UserActions({ orgId, assistant, user, isAdmin, onChanged, onUnassign, onMoveLeads }: {
  orgId: string;
  assistant: Assistant;
  user: AssistantUser;
  isAdmin: boolean;
  onChanged: () => void;
  /** `opener` is the row's Action button: the menu item is gone once the dialog closes. */
  onUnassign: (user: AssistantUser, opener: HTMLElement | null) => void;
  onMoveLeads: (user: AssistantUser) => void;
}) {
  const message = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const confirmId = `confirm-assistant-user-${user.user_id}`;
  useFocusWhenOpen(confirming, `${confirmId}-ok`);

  const toggleManager = async () => {
    setBusy(true);
    try {
      await roster.setManager(orgId, assistant.id, user.user_id, !user.is_manager);
      message.success(user.is_manager
        ? `${user.name} no longer manages ${assistant.name}.`
        : `${user.name} now manages ${assistant.name}.`);
      onChanged();
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
      setConfirming(false);
      button.current?.focus();
    }
  };

  return (
    <RowActions
      name={user.name}
      busy={busy}
      buttonRef={button}
      items={[
        // A deactivated member cannot be made a manager (the server says 409).
        ...(isAdmin && (user.is_manager || user.status !== 'deactivated')
          ? [{ key: 'manager', label: user.is_manager ? 'Remove assistant manager' : 'Make assistant manager' }]
          : []),
        { key: 'move', label: 'Move all leads to…' },
        ...(isAdmin ? [{ type: 'divider' as const }, { key: 'unassign', label: 'Unassign', danger: true }] : []),
      ]}
      onSelect={(key) => {
        if (key === 'unassign') onUnassign(user, button.current);
        else if (key === 'move') onMoveLeads(user);
        else setConfirming(true);
      }}
      confirm={!confirming ? null : {
        title: user.is_manager ? `Remove ${user.name} as manager of ${assistant.name}?` : `Make ${user.name} a manager of ${assistant.name}?`,
        description: user.is_manager ? 'They will see only their own leads on it.' : 'They will see every user of this assistant and all its leads.',
        okText: 'Proceed',
        cancelText: 'Cancel',
        okButtonProps: { loading: busy, id: `${confirmId}-ok` },
        cancelButtonProps: { id: `${confirmId}-cancel` },
        onConfirm: () => void toggleManager(),
      }}
      onConfirmClosed={() => setConfirming(false)}
    />
  );
}

function AssignUsersDialog({ orgId, assistant, open, assignedIds, onClose, onDone }: {
  orgId: string; assistant: Assistant; open: boolean; assignedIds: string[]; onClose: () => void; onDone: () => void;
}) {
  const message = useToast();
  const [chosen, setChosen] = useState<string[]>([]);
  const [managers, setManagers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (open) { setChosen([]); setManagers(false); setError(null); } }, [open]);
  // In Members, not on ×; antd gives the focus back to "Assign users" on close.
  useFocusWhenOpen(open, 'assign-members');

  const assign = async () => {
    if (chosen.length === 0) { setError('Choose at least one member.'); return; }
    setBusy(true);
    setError(null);
    const failures: string[] = [];
    for (const userId of chosen) {
      try {
        await roster.assignUser(orgId, assistant.id, userId, managers);
      } catch (caught) {
        failures.push(errorMessage(caught));
      }
    }
    setBusy(false);
    const done = chosen.length - failures.length;
    if (done > 0) message.success(`${plural(done, 'user')} assigned to ${assistant.name}${managers ? ' as managers' : ''}.`);
    if (failures.length > 0) setError(failures[0]);
    else onDone();
  };

  return (
    <Modal
      title={`Assign users to ${assistant.name}`}
      open={open}
      okText="Assign"
      confirmLoading={busy}
      onOk={() => void assign()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form layout="vertical">
        <Form.Item label="Members" htmlFor="assign-members" extra="Search the organization's members by name or e-mail.">
          <MemberSelect
            id="assign-members"
            orgId={orgId}
            multiple
            exclude={assignedIds}
            value={chosen}
            onChange={setChosen}
          />
        </Form.Item>
        <Form.Item extra="Managers see every user of this assistant and all of its leads.">
          <Checkbox checked={managers} onChange={(event) => setManagers(event.target.checked)}>
            Make them managers of {assistant.name}
          </Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `onCountChanged`: users were assigned or unassigned (the page header's count). */
export function AssistantUsers({ assistant, onCountChanged }: { assistant: Assistant; onCountChanged?: () => void }) {
  const { orgId, isAdmin, managedAssistantIds, userId } = useOrg();
  const { refresh } = useSession();
  const narrow = useMediaQuery(NARROW_SCREEN);
  const [assigning, setAssigning] = useState(false);
  const [unassigning, setUnassigning] = useState<AssistantUser | null>(null);
  const [moving, setMoving] = useState<AssistantUser | null>(null);
  // Unassign opens from a row's menu item, gone by the time it closes (and
  // after Proceed so is the row): antd gave the focus back to the body.
  const { remember, restore } = useReturnFocus();
  const unassign = useCallback((user: AssistantUser, opener: HTMLElement | null) => {
    remember(opener);
    setUnassigning(user);
  }, [remember]);
  const manages = managedAssistantIds.includes(assistant.id);
  const pinnedOnPhone = narrow && (isAdmin || manages);
  const list = useCursorList<AssistantUser>(
    (cursor, signal) => roster.assistantUsers(orgId, assistant.id, { limit: 100, cursor }, signal),
    `${orgId}|${assistant.id}`,
  );
  const { reload, items } = list;
  useEffect(() => { rememberPeople(orgId, items); }, [orgId, items]);

  const changed = useCallback(() => {
    reload();
    void refresh();
    onCountChanged?.();
  }, [reload, refresh, onCountChanged]);

  return (
    <>
      <div className="tab-toolbar">
        <span className="cell-secondary">
          {isAdmin || manages
            ? 'Managers see every user of this assistant and all of its leads.'
            : 'You see only yourself here; the assistant\'s managers and org admins see all of its users.'}
        </span>
        {isAdmin && (
          <Button icon={<UsergroupAddOutlined aria-hidden />} onClick={() => setAssigning(true)}>Assign users</Button>
        )}
      </div>
      {list.error && <ListError error={list.error} onRetry={list.reload} />}
      <Table<AssistantUser>
        // An Action column (an admin's, a manager's "Move all leads to…") stays
        // pinned at the right edge as in Org users (layout.css); without one
        // nothing is pinned over the names.
        className={isAdmin || manages ? 'assistants-table action-pinned-table' : 'assistants-table'}
        rowKey="user_id"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The users could not be loaded.' : 'No users are assigned to this assistant yet.'} /> }}
        columns={[
          {
            title: 'Name',
            dataIndex: 'name',
            render: (name: string, user) => (
              <span>
                {/* On a phone the name is cut with "…" beside the pinned Action column. */}
                {pinnedOnPhone ? <span className="cell-truncate phone-cut" title={name}>{name}</span> : name}
                {user.user_id === userId && <span className="cell-secondary"> (you)</span>}
                {user.status !== 'active' && <> <Tag {...NOT_ACTIVE[user.status]} /></>}
                {/* And the E-mail column is off screen under it: a row says whose it is here. */}
                {pinnedOnPhone && <span className="cell-secondary cell-truncate cell-line phone-cut" title={user.email}>{user.email}</span>}
              </span>
            ),
          },
          { title: 'E-mail', dataIndex: 'email' },
          {
            title: 'Assistant role',
            dataIndex: 'is_manager',
            width: 160,
            render: (isManager: boolean) => (isManager
              ? <Tag color="gold" icon={<CrownOutlined aria-hidden />}>Manager</Tag>
              : <Tag>Member</Tag>),
          },
          ...(isAdmin || manages ? [{
            title: 'Action',
            key: 'action',
            width: 120,
            render: (_: unknown, user: AssistantUser) => (
              <UserActions orgId={orgId} assistant={assistant} user={user} isAdmin={isAdmin} onChanged={changed}
                           onUnassign={unassign} onMoveLeads={setMoving} />
            ),
          }] : []),
        ]}
      />
      <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="users" one="user" />
      {(isAdmin || manages) && (
        <MoveLeadsDialog orgId={orgId} assistant={assistant} user={moving}
                         onClose={() => setMoving(null)} onDone={() => setMoving(null)} />
      )}
      {isAdmin && (
        <>
          <AssignUsersDialog
            orgId={orgId}
            assistant={assistant}
            open={assigning}
            assignedIds={list.items.map((user) => user.user_id)}
            onClose={() => setAssigning(false)}
            onDone={() => { setAssigning(false); changed(); }}
          />
          <UnassignDialog
            orgId={orgId}
            assistant={assistant}
            user={unassigning}
            onClose={() => setUnassigning(null)}
            afterClose={restore}
            onDone={() => {
              // Off the list at once, not when the reload answers: the focus
              // goes to a neighbour's Action button, not to this row's, gone then.
              const gone = unassigning?.user_id;
              list.update((item) => item.user_id === gone, null);
              setUnassigning(null);
              changed();
            }}
          />
        </>
      )}
    </>
  );
}
