// Organization → Org users (SPEC 2.1): members with search, role and status
// filters (and, for admins, two-factor on or off) and cursor paging; admins also invite, change roles, resend and remove.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Table from 'antd/es/table';
import type { ColumnsType } from 'antd/es/table';
import SearchOutlined from '@ant-design/icons/es/icons/SearchOutlined';
import UserAddOutlined from '@ant-design/icons/es/icons/UserAddOutlined';
import { roster } from '../api/roster';
import type { Member, Page, Role } from '../api/types';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { ExportMenu } from '../components/ExportMenu';
import { PageHeader } from '../components/PageHeader';
import { selectionCell, TableRow, TableStyles, TableTag } from '../components/TableStyles';
import { BulkMemberActions, BulkResults } from '../features/BulkMemberActions';
import type { RowResult } from '../features/BulkMemberActions';
import { BulkInviteButton } from '../features/BulkInviteDialog';
import { InviteDialog } from '../features/InviteDialog';
import { InitialsAvatar, JoinedCell, LastSignInCell } from '../features/MemberActivity';
import { MemberActions } from '../features/MemberActions';
import { MemberAssistants } from '../features/MemberAssistants';
import { MemberStatus, RoleTag } from '../features/MemberStatus';
import { RemoveMemberDialog } from '../features/RemoveMemberDialog';
import { DeactivateMemberDialog, ReactivateMemberDialog } from '../features/DeactivateMemberDialog';
import { useOrg } from '../lib/org';
import { NARROW_SCREEN, useMediaQuery } from '../lib/useMediaQuery';
import { useReturnFocus } from '../lib/useReturnFocus';
import { rememberPeople } from '../lib/usePeople';
import { useCursorList } from '../lib/useCursorList';
import { useVisiblePolling } from '../lib/useVisiblePolling';
import { useDebounced } from '../lib/useDebounced';
import { orderOf, sortFrom } from '../lib/memberSort';
import { sortOnSpace } from '../lib/sortOnSpace';
import type { MemberSort } from '../lib/memberSort';
import { useSession } from '../session';
import { EmptyState } from '../components/EmptyState';
import { ADMINS_QUERY, FIRST_PAGE_QUERY, PAGE_SIZE } from './orgUsersQueries';

// Each row's cells as plain <td>s: the table's own cell components were the
// largest share of the first render left.
const TABLE_COMPONENTS = { body: { row: TableRow } };

// An invitation's e-mail may come back refused (the row's "Not delivered")
// seconds to minutes after it was sent: the shown rows are read again,
// quietly, while one sent in the last DELIVERY_WATCH_MS has no mark yet.
const DELIVERY_WATCH_MS = 5 * 60_000;
/** Every 3 s in the first half minute after the newest send (a refusal
 *  usually comes within it), then every 10 s. */
const DELIVERY_CHECK_SOON_MS = 3_000;
const DELIVERY_SOON_MS = 30_000;
const DELIVERY_CHECK_MS = 10_000;

/** When `member`'s invitation e-mail was last sent, as far as the page knows:
 *  its invited_at, or an invite or resend done on this page (`sent`). */
function lastSent(member: Member, sent: Map<string, number>): number {
  const invited = member.invited_at ? Date.parse(member.invited_at) : Number.NaN;
  return Math.max(Number.isNaN(invited) ? 0 : invited, sent.get(member.user_id) ?? 0);
}

/** Whether `member`'s invitation e-mail may still be refused at `now`: sent
 *  less than `withinMs` before, without a mark. */
function awaitsDelivery(member: Member, sent: Map<string, number>, now: number,
                        withinMs = DELIVERY_WATCH_MS): boolean {
  return member.status === 'invited' && !member.invite_undelivered
    // A server clock far ahead of this one does not keep the page reading.
    && Math.abs(now - lastSent(member, sent)) < withinMs;
}

const memberKey = (member: Member) => member.user_id;

/** The only active admin, if there is exactly one: he may not be demoted or removed. */
function soleAdmin(admins: Page<Member> | undefined): string | null {
  return admins && admins.items.length === 1 && !admins.next_cursor ? admins.items[0].user_id : null;
}

export default function OrgUsersPage() {
  const { orgId, orgName, isAdmin, userId } = useOrg();
  const { refresh } = useSession();
  const narrow = useMediaQuery(NARROW_SCREEN);
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState('');
  // Admins only: the server refuses mfa= to others (403), as the 2FA column is theirs.
  const [mfa, setMfa] = useState<'' | 'true' | 'false'>('');
  const [sort, setSort] = useState<MemberSort>('');
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [bulkResults, setBulkResults] = useState<{ title: string; results: RowResult[] } | null>(null);
  const [deactivating, setDeactivating] = useState<Member | null>(null);
  const [reactivating, setReactivating] = useState<Member | null>(null);
  // Remove, Deactivate and Reactivate open from a row's menu item, gone by
  // the time they close: antd gave the focus back to nothing (the body). To
  // the row's Action button instead, or a neighbour's once the row is gone.
  const { remember: rememberRow, restore: restoreToRow } = useReturnFocus();
  const openFromRow = useCallback((open: (member: Member) => void) => (member: Member, opener: HTMLElement | null) => {
    rememberRow(opener);
    open(member);
  }, [rememberRow]);
  // After a bulk action the selection, and with it the bar's buttons, is gone.
  const { rememberLabel: rememberSelection, restore: restoreToSelection } = useReturnFocus();
  // The admins asked for at start, for the organization they were asked of;
  // the page asks again only after a change (or in another organization).
  const earlyAdmins = useRef<{ orgId: string; page: Page<Member> } | null>(null);
  const [lastAdminId, setLastAdminId] = useState<string | null>(() => {
    const page = roster.early.members(orgId, ADMINS_QUERY);
    if (page) earlyAdmins.current = { orgId, page };
    return soleAdmin(page);
  });
  const [adminsGeneration, setAdminsGeneration] = useState(0);
  const query = useDebounced(search.trim(), 300);
  const mfaFilter = isAdmin && mfa ? mfa : undefined;

  const list = useCursorList<Member>(
    // A refresh in place reads all the rows it wants at once (up to the
    // server's largest page).
    (cursor, signal, size) => roster.members(orgId, {
      q: query, role: role || undefined, status, mfa: mfaFilter, sort,
      limit: Math.min(200, Math.max(PAGE_SIZE, size ?? 0)), cursor,
    }, signal),
    `${orgId}|${query}|${role}|${status}|${mfaFilter ?? ''}|${sort}`,
    () => roster.early.members(orgId, FIRST_PAGE_QUERY),
  );

  useEffect(() => { rememberPeople(orgId, list.items); }, [orgId, list.items]);

  useEffect(() => {
    if (!isAdmin) return;
    const early = earlyAdmins.current;
    earlyAdmins.current = null;
    if (early && early.orgId === orgId && adminsGeneration === 0) return;
    let live = true;
    roster.members(orgId, ADMINS_QUERY)
      .then((page) => { if (live) setLastAdminId(soleAdmin(page)); })
      .catch(() => { if (live) setLastAdminId(null); });
    return () => { live = false; };
  }, [orgId, isAdmin, adminsGeneration]);

  const { update, reload, refreshInPlace } = list;
  // Admin rights lost meanwhile (a 403 made the session read GET /me again):
  // the rows were read as an admin's, his own still saying "Org admin" under
  // the notice that he no longer is one. They are read again as a user's.
  const wasAdmin = useRef(isAdmin);
  useEffect(() => {
    if (wasAdmin.current && !isAdmin) reload();
    wasAdmin.current = isAdmin;
  }, [isAdmin, reload]);
  const items = useRef(list.items);
  items.current = list.items;

  // Invitations and resends done here, by member: when their e-mail left.
  const sent = useRef(new Map<string, number>());
  const [sentGeneration, setSentGeneration] = useState(0);
  const noteSent = useCallback((member: Member) => {
    if (member.status !== 'invited') return;
    sent.current.set(member.user_id, Date.now());
    setSentGeneration((value) => value + 1);
  }, []);

  const stale = useCallback(() => {
    reload();
    setAdminsGeneration((value) => value + 1);
  }, [reload]);
  const changed = useCallback((member: Member) => {
    // A new expiry on an invitation is a new e-mail (a resend, a reactivation).
    const before = items.current.find((item) => item.user_id === member.user_id);
    if (before && before.invite_expires_at !== member.invite_expires_at) noteSent(member);
    // The answer is the member as the list shows him, assistants included.
    update((item) => item.user_id === member.user_id, member);
    setAdminsGeneration((value) => value + 1);
    if (member.user_id === userId) void refresh();
  }, [update, userId, refresh, noteSent]);

  // "Not delivered" without a reload: while a shown invitation's e-mail may
  // still be refused, the shown rows are read again and the changed ones
  // replaced in place: no spinner, and scroll, selection, menus and dialogs stay.
  const awaiting = useMemo(
    () => list.items.filter((member) => awaitsDelivery(member, sent.current, Date.now())).map(memberKey).join(','),
    // sentGeneration: an invite or resend noted in `sent` counts from then.
    [list.items, sentGeneration],
  );
  useVisiblePolling(awaiting, async (signal, hiddenSince) => {
    const now = Date.now();
    // Back in view: what was awaited when the tab was hidden is read too.
    const wanted = (member: Member) => awaitsDelivery(member, sent.current, now)
      || (hiddenSince !== null && awaitsDelivery(member, sent.current, hiddenSince));
    if (!items.current.some(wanted)) return false;
    await refreshInPlace(memberKey, signal, wanted);
    return true;
  }, () => (items.current.some((member) => awaitsDelivery(member, sent.current, Date.now(), DELIVERY_SOON_MS))
    ? DELIVERY_CHECK_SOON_MS : DELIVERY_CHECK_MS));

  const columns = useMemo(() => {
    const base: ColumnsType<Member> = [
      {
        title: 'Name',
        dataIndex: 'name',
        key: 'name',
        sorter: true,
        sortOrder: orderOf(sort, 'name'),
        onHeaderCell: sortOnSpace,
        render: (name: string, member) => (
          <span className="member-name"><InitialsAvatar name={name} />
            <span>
              <span className="cell-truncate phone-cut" title={name}>{name}</span>
              {member.user_id === userId && <span className="cell-secondary you-mark"> (you)</span>}
              {/* On a phone an admin's E-mail column is off screen, under the pinned
                  Action: a row says whose it is here. */}
              {narrow && isAdmin && <span className="cell-secondary cell-truncate cell-line phone-cut" title={member.email}>{member.email}</span>}
            </span>
          </span>
        ),
      },
      { title: 'E-mail', dataIndex: 'email', render: (email: string) => <span className="cell-truncate member-email" title={email}>{email}</span> },
      { title: 'Role', dataIndex: 'role', width: 100, render: (value: Role) => <RoleTag role={value} /> },
      { title: 'Status', dataIndex: 'status', width: 190, render: (_: unknown, member) => <MemberStatus member={member} /> },
    ];
    if (!isAdmin) return base;
    return [
      ...base,
      { title: 'Assistants', dataIndex: 'assistants', key: 'assistants',
        render: (_: unknown, member: Member) => <MemberAssistants assistants={member.assistants} /> },
      { title: 'Joined', dataIndex: 'joined_at', key: 'joined', className: 'nowrap',
        sorter: true, sortOrder: orderOf(sort, 'joined'), onHeaderCell: sortOnSpace,
        render: (_: unknown, member: Member) => <JoinedCell member={member} /> },
      // A string, not JSX: antd names a sortable header by a string title only
      // (its aria-label was empty). The non-breaking hyphen lets the header
      // wrap between its words but not inside "sign-in" ("sign-" over "in").
      { title: 'Last sign\u2011in', dataIndex: 'last_login_at', key: 'last_sign_in', className: 'nowrap',
        sorter: true, sortOrder: orderOf(sort, 'last_sign_in'), onHeaderCell: sortOnSpace,
        render: (_: unknown, member: Member) => <LastSignInCell member={member} /> },
      { title: 'Leads', dataIndex: 'lead_count', key: 'leads', width: 70, align: 'right' as const,
        sorter: true, sortOrder: orderOf(sort, 'leads'), onHeaderCell: sortOnSpace,
        render: (count: number | undefined) => (count ?? 0).toLocaleString() },
      { title: '2FA', dataIndex: 'mfa', width: 50,
        render: (on: boolean | undefined) => (on ? <TableTag color="green">On</TableTag> : <span className="cell-secondary">Off</span>) },
      {
        title: 'Action',
        key: 'action',
        width: 100,
        render: (_: unknown, member: Member) => (
          <MemberActions
            orgId={orgId}
            member={member}
            isLastAdmin={member.user_id === lastAdminId}
            onChanged={changed}
            onStale={stale}
            onRemove={openFromRow(setRemoving)}
            onDeactivate={openFromRow(setDeactivating)}
            onReactivate={openFromRow(setReactivating)}
          />
        ),
      },
    ];
  }, [isAdmin, orgId, lastAdminId, changed, stale, userId, sort, openFromRow, narrow]);

  // The table re-renders only when its rows or columns change, not on every
  // keystroke in the search box (a page of rows with menus is the costly part).
  const filtered = Boolean(query || role || status || mfaFilter);
  const table = useMemo(() => (
    <TableStyles>
      <Table<Member>
        // A user's table ends with Status, not with an admin's Action: nothing
        // is pinned over the names (global.css).
        className={isAdmin ? 'members-table' : 'members-table members-table-readonly'}
        // Denser cells keep all eleven columns in view on a 1280 px screen.
        size="middle"
        // The header's arrows say it sorts; antd's "Click to sort" bubble
        // would cover the filters above the table.
        showSorterTooltip={false}
        rowKey="user_id"
        components={TABLE_COMPONENTS}
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        // The server sorts; a new order starts the list again from its first page.
        onChange={(_pagination, _filters, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(sortFrom(one?.columnKey, one?.order));
        }}
        rowSelection={isAdmin ? {
          selectedRowKeys: selectedIds,
          onChange: (keys) => setSelectedIds(keys.map(String)),
          getCheckboxProps: (member: Member) => ({ 'aria-label': `Select ${member.name}` }),
          // It selects the rows loaded, not every member the filters match.
          getTitleCheckboxProps: () => ({ 'aria-label': 'Select all on this page' }),
          renderCell: selectionCell,
        } : undefined}
        locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The members could not be loaded.' : filtered ? 'No members match these filters.' : 'No members yet.'} /> }}
      />
    </TableStyles>
  ), [columns, list.items, list.loading, list.error, filtered, isAdmin, selectedIds]);
  const selected = useMemo(() => list.items.filter((member) => selectedIds.includes(member.user_id)),
    [list.items, selectedIds]);

  return (
    <>
      <PageHeader
        title="Org users"
        subtitle={`Everyone in ${orgName}: members and pending invitations.`}
        extra={(
          <div className="header-actions">
            <ExportMenu orgId={orgId} list="members" what="members"
                        filters={{ q: query, role: role || undefined, status: status || undefined, mfa: mfaFilter, sort: sort || undefined }} />
            {isAdmin && <BulkInviteButton orgId={orgId} onInvited={() => list.reload()} />}
            {isAdmin && (
              <Button type="primary" icon={<UserAddOutlined aria-hidden />} onClick={() => setInviting(true)}>Invite</Button>
            )}
          </div>
        )}
      />
      <Card className="page-card">
        <div className="toolbar" role="search">
          <Input.Search
            className="search"
            placeholder="Search name or e-mail"
            aria-label="Search members by name or e-mail"
            // antd's button is named by its icon alone: "search".
            enterButton={<Button icon={<SearchOutlined aria-hidden />} aria-label="Search members" />}
            allowClear
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <Select
            className="filter"
            aria-label="Filter by role"
            value={role}
            onChange={setRole}
            options={[{ value: '', label: 'All roles' }, { value: 'admin', label: 'Org admins' }, { value: 'user', label: 'Users' }]}
          />
          <Select
            className="filter"
            aria-label="Filter by status"
            value={status}
            onChange={setStatus}
            options={[
              { value: '', label: 'All statuses' },
              { value: 'active', label: 'Active' },
              { value: 'invited', label: 'Invited' },
              { value: 'invite_expired', label: 'Invite expired' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
          />
          {isAdmin && (
            <Select
              className="filter"
              aria-label="Filter by two-factor"
              value={mfa}
              onChange={setMfa}
              options={[
                { value: '', label: 'Two-factor: any' },
                { value: 'true', label: 'Two-factor: on' },
                { value: 'false', label: 'Two-factor: off' },
              ]}
            />
          )}
        </div>
        {isAdmin && (
          <BulkMemberActions
            orgId={orgId}
            orgName={orgName}
            selected={selected}
            onDone={(title, results) => {
              // The first member acted on, by his tick box, once the results are read.
              const first = results[0]?.member.name;
              rememberSelection(first && `Select ${first}`);
              setBulkResults({ title, results });
              setSelectedIds([]);
              list.reload();
              setAdminsGeneration((value) => value + 1);
              if (results.some((result) => result.member.user_id === userId)) void refresh();
            }}
          />
        )}
        {list.error && <ListError error={list.error} onRetry={list.reload} />}
        {table}
        <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="members" one="member" />
      </Card>
      {/* Outside the admins' part: an admin who took his own rights away still reads the results. */}
      <BulkResults title={bulkResults?.title ?? ''} results={bulkResults?.results ?? null} onClose={() => setBulkResults(null)}
                   afterClose={restoreToSelection} />
      {isAdmin && (
        <>
          <InviteDialog
            orgId={orgId}
            open={inviting}
            onClose={() => setInviting(false)}
            onInvited={(member) => { setInviting(false); noteSent(member); list.reload(); }}
          />
          <RemoveMemberDialog
            orgId={orgId}
            orgName={orgName}
            member={removing}
            onClose={() => setRemoving(null)}
            afterClose={restoreToRow}
            onDeactivateInstead={(member) => { setRemoving(null); setDeactivating(member); }}
            onRemoved={(member) => {
              setRemoving(null);
              list.update((item) => item.user_id === member.user_id, null);
              list.reload();
              setAdminsGeneration((value) => value + 1);
            }}
          />
          <DeactivateMemberDialog
            orgId={orgId}
            orgName={orgName}
            member={deactivating}
            onClose={() => setDeactivating(null)}
            afterClose={restoreToRow}
            onDeactivated={(member) => { setDeactivating(null); changed(member); list.reload(); }}
          />
          <ReactivateMemberDialog
            orgId={orgId}
            orgName={orgName}
            member={reactivating}
            onClose={() => setReactivating(null)}
            afterClose={restoreToRow}
            onReactivated={(member) => { setReactivating(null); changed(member); list.reload(); }}
          />
        </>
      )}
    </>
  );
}
