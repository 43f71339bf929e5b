// The leads the signed-in user may see (the server applies the visibility
// rule), searchable and filterable by assistant, owner and status, sortable
// by name, status and creation (the server sorts; a new sort starts paging
// over), with single and bulk reassignment for admins and the assistants'
// managers. An open lead's drawer is in the address (?lead=ID): a reload
// keeps it open, Back closes it, and it can be shared as a link. A link to a
// lead he may not see, or that does not exist, says "Lead not found".
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import PlusOutlined from '@ant-design/icons/es/icons/PlusOutlined';
import SearchOutlined from '@ant-design/icons/es/icons/SearchOutlined';
import { ApiError, errorMessage } from '../api/client';
import { allPages, roster } from '../api/roster';
import { LEAD_STATUSES } from '../api/types';
import type { AssistantUser, Lead } from '../api/types';
import type { SorterResult } from 'antd/es/table/interface';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { MemberSelect } from '../components/MemberSelect';
import { capitalized, dayAndTime, formatDateTime, personOption, plural } from '../lib/format';
import { useOrg } from '../lib/org';
import { useAssistants } from '../lib/useAssistants';
import { useCursorList } from '../lib/useCursorList';
import { useDebounced } from '../lib/useDebounced';
import { useReturnFocus } from '../lib/useReturnFocus';
import { sortOnSpace } from '../lib/sortOnSpace';
import { CreateLeadDialog, LeadAccessDialog, ReassignLeadDialog } from './LeadDialogs';
import { LeadDrawer } from './LeadDrawer';
import { BulkReassignDialog } from './BulkReassignDialog';
import { EmptyState } from '../components/EmptyState';
import { ExportMenu } from '../components/ExportMenu';

const STATUS_COLORS: Record<string, string> = { new: 'blue', contacted: 'cyan', qualified: 'green', won: 'gold', lost: 'default' };
/** The table's sortable columns and the server's sort words. */
const SORT_FIELDS: Record<string, string> = { name: 'name', status: 'status', created_at: 'created' };
const DEFAULT_SORT = '-created';
type SortOrder = 'ascend' | 'descend' | null;

function CreatedCell({ iso }: { iso: string }) {
  const moment = dayAndTime(iso);
  if (!moment) return <>{formatDateTime(iso)}</>;
  return <span title={formatDateTime(iso)}>{moment.day}<br /><span className="cell-secondary">{moment.time}</span></span>;
}

/** The people whose leads a manager sees (who are not admins): the users of
 *  the assistants in `assistantIds` (those he manages), himself among them.
 *  The owner filter offers only them: anyone else would list nothing. */
function useOwnersOf(orgId: string, assistantIds: string[]) {
  const [owners, setOwners] = useState<AssistantUser[]>([]);
  const key = assistantIds.join(',');
  useEffect(() => {
    setOwners([]);
    if (!key) return undefined;
    let live = true;
    Promise.all(key.split(',').map((id) => allPages((cursor) => roster.assistantUsers(orgId, id, { limit: 200, cursor }))))
      .then((lists) => {
        if (!live) return;
        const byId = new Map<string, AssistantUser>();
        // A deactivated member's leads went to others when he left.
        for (const user of lists.flat()) if (user.status !== 'deactivated') byId.set(user.user_id, user);
        setOwners([...byId.values()].sort((a, b) => a.name.localeCompare(b.name)));
      })
      .catch(() => { if (live) setOwners([]); });
    return () => { live = false; };
  }, [orgId, key]);
  return owners;
}

export function LeadsList({ fixedAssistantId }: { fixedAssistantId?: string }) {
  const { orgId, isAdmin, managedAssistantIds, userId } = useOrg();
  const [search, setSearch] = useState('');
  const [assistantId, setAssistantId] = useState<string>(fixedAssistantId ?? '');
  const [ownerId, setOwnerId] = useState<string | undefined>();
  const [reassigning, setReassigning] = useState<Lead | null>(null);
  const [explaining, setExplaining] = useState<Lead | null>(null);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const openedId = params.get('lead');
  // The lead of the address as the server has it now, read when the drawer
  // opens: a row read earlier may be stale (another admin reassigned or
  // edited the lead meanwhile), and the lead may not be among the loaded
  // rows at all (a reload before the list answered, a lead further down, a
  // shared link).
  const [fetched, setFetched] = useState<Lead | null>(null);
  // Why the address's lead did not open. The server answers 404 alike for a
  // lead that does not exist and for one he may not see, and so does this.
  const [unopened, setUnopened] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [statuses, setStatuses] = useState<string[]>([]);
  const [sort, setSort] = useState(DEFAULT_SORT);
  const [selected, setSelected] = useState<Lead[]>([]);
  const [bulkOpen, setBulkOpen] = useState(false);
  // "Reassign N leads" goes with the selection after Proceed: antd gave the
  // focus back to nothing (the body). Then to the first lead's tick box.
  const { remember: rememberBulk, rememberLabel: rememberBulkLabel, restore: restoreBulk } = useReturnFocus();
  const query = useDebounced(search.trim(), 300);
  const assistants = useAssistants(orgId);
  const effectiveAssistant = fixedAssistantId ?? assistantId;
  // On an assistant he does not manage, a manager is a plain user: no owner
  // filter, no tick boxes, no Action column.
  const managedHere = fixedAssistantId
    ? managedAssistantIds.filter((id) => id === fixedAssistantId) : managedAssistantIds;
  const anyReassign = isAdmin || managedHere.length > 0;
  const managerOwners = useOwnersOf(orgId, isAdmin ? [] : managedHere);
  useEffect(() => { if (!anyReassign) setOwnerId(undefined); }, [anyReassign]);
  // The lead that stopped being his to see while the page was open.
  const [goneName, setGoneName] = useState<string | null>(null);

  const status = statuses.join(',') || undefined;
  const listKey = `${orgId}|${query}|${effectiveAssistant}|${ownerId ?? ''}|${status ?? ''}|${sort}`;
  const list = useCursorList<Lead>(
    (cursor, signal) => roster.leads(orgId, {
      q: query, assistant_id: effectiveAssistant || undefined, owner_id: ownerId, status,
      sort: sort === DEFAULT_SORT ? undefined : sort, limit: 50, cursor,
    }, signal),
    listKey,
  );
  // A selection belongs to the rows it was made on.
  useEffect(() => { setSelected([]); }, [listKey]);
  const listed = openedId ? list.items.find((lead) => lead.id === openedId) : undefined;
  const opened = fetched !== null && fetched.id === openedId ? fetched : null;
  useEffect(() => {
    if (!openedId || list.loading || fetched?.id === openedId) return undefined;
    let live = true;
    roster.lead(orgId, openedId)
      .then((lead) => {
        if (!live) return;
        setFetched(lead);
        list.update((item) => item.id === lead.id, lead);
      })
      .catch((error: unknown) => {
        if (!live) return;
        // A row's lead that is no longer his to see: as after a Save.
        if (listed && error instanceof ApiError && error.status === 404) {
          onGone(listed);
          return;
        }
        // The list stays, without a drawer, and the page says why.
        setUnopened(error instanceof ApiError && error.status === 404
          ? 'Lead not found: it does not exist, or you may not see it.'
          : `The lead could not be opened. ${errorMessage(error)}`);
        setParams((current) => { current.delete('lead'); return current; }, { replace: true });
      });
    return () => { live = false; };
  }, [openedId, list.loading, listed, list.update, fetched, orgId, setParams]);
  const openLead = (lead: Lead) => {
    setFetched(null);
    setUnopened(null);
    setParams((current) => { current.set('lead', lead.id); return current; }, { state: { leadOpened: true } });
  };
  // Back where opening added a history entry, so Back afterwards leaves the page.
  const closeLead = () => {
    if ((location.state as { leadOpened?: boolean } | null)?.leadOpened) navigate(-1);
    else setParams((current) => { current.delete('lead'); return current; }, { replace: true });
  };
  // A 404 on a lead shown here: it is no longer his to see. Whatever is
  // open on it closes, the page says why, and the list is read again (the
  // 404 also makes the session read GET /me again, so a lost manager role
  // shows in the page's subtitle and columns).
  const onGone = (lead: Lead) => {
    setReassigning(null);
    setExplaining(null);
    setBulkOpen(false);
    setSelected([]);
    if (openedId) closeLead();
    setGoneName(lead.name);
    list.reload();
  };
  const sortOrder = (field: string): SortOrder => {
    const word = SORT_FIELDS[field];
    if (sort === word) return 'ascend';
    if (sort === `-${word}`) return 'descend';
    return null;
  };
  const onSort = (sorter: SorterResult<Lead> | SorterResult<Lead>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const word = one?.order ? SORT_FIELDS[String(one.field)] : undefined;
    setSort(word ? (one.order === 'descend' ? `-${word}` : word) : DEFAULT_SORT);
  };
  const selectedAssistants = new Set(selected.map((lead) => lead.assistant_id));
  const bulkAssistantName = selectedAssistants.size === 1 ? assistants.nameOf(selected[0].assistant_id) : '';
  const noAssistant = !assistants.loading && !assistants.error && assistants.assistants.length === 0;
  const mayReassign = (lead: Lead) => isAdmin || managedAssistantIds.includes(lead.assistant_id);
  const filtered = Boolean(query || (!fixedAssistantId && assistantId) || ownerId || status);

  return (
    <>
      <div className="toolbar" role="search">
        <Input.Search
          className="search search-wide"
          placeholder="Search name, e-mail or company"
          aria-label="Search leads"
          // antd's button is named by its icon alone: "search". Not the
          // field's name, which would then name two controls.
          enterButton={<Button icon={<SearchOutlined aria-hidden />} aria-label="Search the leads" />}
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        {!fixedAssistantId && (
          <Select
            className="filter"
            aria-label="Filter by assistant"
            value={assistantId}
            onChange={setAssistantId}
            loading={assistants.loading}
            options={[{ value: '', label: 'All assistants' },
                      ...assistants.assistants.map((assistant) => ({ value: assistant.id, label: assistant.name }))]}
          />
        )}
        {isAdmin && (
          <div className="filter owner-filter">
            <MemberSelect
              orgId={orgId}
              aria-label="Filter by owner"
              placeholder="All owners"
              allowClear
              value={ownerId}
              onChange={(value: string | undefined) => setOwnerId(value)}
            />
          </div>
        )}
        {!isAdmin && anyReassign && (
          <Select
            className="filter owner-filter"
            aria-label="Filter by owner"
            placeholder="All owners"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={ownerId}
            onChange={(value: string | undefined) => setOwnerId(value)}
            options={managerOwners.map(personOption)}
          />
        )}
        <Select
          className="filter status-filter"
          mode="multiple"
          aria-label="Filter by status"
          placeholder="All statuses"
          allowClear
          maxTagCount={2}
          value={statuses}
          onChange={setStatuses}
          options={LEAD_STATUSES.map((word) => ({ value: word, label: capitalized(word) }))}
        />
        <div className="toolbar-spacer" />
        {anyReassign && selected.length > 0 && (
          <Button onClick={(event) => { rememberBulk(event.currentTarget); setBulkOpen(true); }}>
            Reassign {plural(selected.length, 'lead')}
          </Button>
        )}
        <ExportMenu orgId={orgId} list="leads" what="leads"
                    filters={{ q: query, assistant_id: effectiveAssistant || undefined, owner_id: ownerId, status,
                               sort: sort === DEFAULT_SORT ? undefined : sort }} />
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}
                disabled={assistants.assistants.length === 0} aria-describedby={noAssistant ? 'no-assistant-hint' : undefined}>
          New lead
        </Button>
        {/* Why "New lead" is disabled: every lead belongs to an assistant. */}
        {noAssistant && (
          <span id="no-assistant-hint" className="toolbar-hint">
            {isAdmin ? 'Create an assistant first: every lead belongs to one.' : 'You are on no assistant yet: an org admin can add you to one.'}
          </span>
        )}
      </div>
      {goneName !== null && (
        <Alert type="warning" showIcon role="alert" closable={{ 'aria-label': 'Close' }} onClose={() => setGoneName(null)}
               className="form-alert lead-gone"
               title={`${goneName} is no longer visible to you: it was reassigned or removed, or you no longer manage its assistant. The list is reloaded.`} />
      )}
      {unopened !== null && (
        <Alert type="warning" showIcon role="alert" closable={{ 'aria-label': 'Close' }} onClose={() => setUnopened(null)}
               className="form-alert lead-unopened" title={unopened} />
      )}
      {list.error && <ListError error={list.error} onRetry={list.reload} />}
      <Table<Lead>
        // Action (Reassign, Who can see) stays pinned at the right edge, as on
        // Org users (layout.css); without it nothing is pinned over the leads.
        className={anyReassign ? 'leads-table action-pinned-table' : 'leads-table'}
        rowKey="id"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 820 }}
        onChange={(_pagination, _filters, sorter) => onSort(sorter)}
        // The header's arrows say it sorts; antd's "Click to sort" bubble
        // would cover the filters above the table.
        showSorterTooltip={false}
        rowSelection={anyReassign ? {
          selectedRowKeys: selected.map((lead) => lead.id),
          onChange: (_keys, rows) => setSelected(rows),
          getCheckboxProps: (lead) => ({ disabled: !mayReassign(lead), 'aria-label': `Select ${lead.name}` }),
          // The table's hidden measuring row copies the header: a select-all
          // checkbox there would be focusable inside aria-hidden.
          hideSelectAll: true,
          // Only where he may reassign: a greyed box said nothing of why.
          renderCell: (_checked, lead, _index, box) => (mayReassign(lead) ? box : null),
        } : undefined}
        locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The leads could not be loaded.' : filtered ? 'No leads match these filters.' : 'No leads to show.'} /> }}
        columns={[
          {
            title: 'Lead',
            dataIndex: 'name',
            sorter: true,
            sortOrder: sortOrder('name'),
            sortDirections: ['ascend', 'descend'],
            onHeaderCell: sortOnSpace,
            render: (name: string, lead) => (
              <span>
                <Button type="link" className="lead-open" onClick={() => openLead(lead)} aria-haspopup="dialog" title={name}>
                  <span className="cell-truncate lead-cut">{name}</span>
                </Button>
                <div className="cell-secondary cell-truncate lead-cut cell-line" title={lead.email}>{lead.email}</div>
              </span>
            ),
          },
          { title: 'Company', dataIndex: 'company',
            render: (company: string) => (company ? <span className="cell-truncate company-cut" title={company}>{company}</span> : '—') },
          { title: 'Status', dataIndex: 'status', width: 110, sorter: true, sortOrder: sortOrder('status'),
            sortDirections: ['ascend', 'descend'], onHeaderCell: sortOnSpace,
            render: (status: string) => <Tag color={STATUS_COLORS[status] ?? 'default'}>{capitalized(status)}</Tag> },
          ...(fixedAssistantId ? [] : [{
            title: 'Assistant',
            dataIndex: 'assistant_id',
            render: (id: string) => <Link to={`/orgs/${orgId}/assistants/${id}`}>{assistants.nameOf(id)}</Link>,
          }]),
          {
            title: 'Owner',
            dataIndex: 'owner_name',
            render: (name: string, lead: Lead) => (lead.owner_id === userId
              ? <span>{name} <span className="cell-secondary">(you)</span></span>
              : name),
          },
          // The day over the time: on one line they took the width a long lead needs.
          { title: 'Created', dataIndex: 'created_at', className: 'nowrap', sorter: true,
            sortOrder: sortOrder('created_at'), sortDirections: ['descend', 'ascend'], onHeaderCell: sortOnSpace,
            render: (value: string) => <CreatedCell iso={value} /> },
          ...(anyReassign ? [{
            title: 'Action',
            key: 'action',
            width: 130,
            render: (_: unknown, lead: Lead) => (mayReassign(lead)
              ? (
                // One above the other: side by side they took the width a long lead needs.
                <span className="row-buttons stacked">
                  <Button size="small" onClick={() => setReassigning(lead)} aria-label={`Reassign ${lead.name}`}>Reassign</Button>
                  <Button size="small" onClick={() => setExplaining(lead)} aria-label={`Who can see ${lead.name}`}>Who can see</Button>
                </span>
              )
              : null),
          }] : []),
        ]}
      />
      <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="leads" one="lead" />
      <ReassignLeadDialog
        orgId={orgId}
        lead={reassigning}
        assistantName={reassigning ? assistants.nameOf(reassigning.assistant_id) : ''}
        ownerName={reassigning?.owner_name ?? ''}
        onClose={() => setReassigning(null)}
        onGone={onGone}
        onDone={(lead) => { setReassigning(null); list.update((item) => item.id === lead.id, lead); }}
      />
      <LeadAccessDialog orgId={orgId} lead={explaining} onClose={() => setExplaining(null)} onGone={onGone} />
      <BulkReassignDialog
        orgId={orgId}
        leads={selected}
        open={bulkOpen}
        assistantName={bulkAssistantName}
        onClose={() => setBulkOpen(false)}
        onDone={() => {
          const first = selected[0]?.name;
          rememberBulkLabel(first && `Select ${first}`);
          setBulkOpen(false);
          setSelected([]);
          list.reload();
        }}
        afterClose={restoreBulk}
      />
      <LeadDrawer orgId={orgId} lead={opened} assistantName={opened ? assistants.nameOf(opened.assistant_id) : ''}
                  mayExplain={opened !== null && mayReassign(opened)} onClose={closeLead} onGone={onGone}
                  onChanged={(lead) => { setFetched(lead); list.update((item) => item.id === lead.id, lead); }} />
      <CreateLeadDialog
        orgId={orgId}
        open={creating}
        assistants={assistants.assistants}
        fixedAssistantId={fixedAssistantId}
        onClose={() => setCreating(false)}
        onCreated={() => { setCreating(false); list.reload(); }}
      />
    </>
  );
}
