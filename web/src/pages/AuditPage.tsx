// The organization's audit log, newest first as the server pages it (admins),
// filtered by who, what, whom and days; details read as sentences' parts
// ("role: user → org admin", lead names), times to the second.
import { Fragment, useEffect, useRef, useState } from 'react';
import Card from 'antd/es/card';
import Result from 'antd/es/result';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import { roster } from '../api/roster';
import type { AuditEvent } from '../api/types';
import { ListError } from '../components/ListError';
import { LoadMore } from '../components/LoadMore';
import { ExportMenu } from '../components/ExportMenu';
import { PageHeader } from '../components/PageHeader';
import { AuditFilters, auditQuery, NO_AUDIT_FILTERS } from '../features/AuditFilters';
import type { AuditFilterFields } from '../features/AuditFilters';
import { capitalized, dayAndTime, formatDateTime, formatDateTimeSeconds } from '../lib/format';
import { useLeadNames } from '../lib/useLeadNames';
import { useOrg } from '../lib/org';
import { useAssistants } from '../lib/useAssistants';
import { useCursorList } from '../lib/useCursorList';
import { usePeople } from '../lib/usePeople';
import { EmptyState } from '../components/EmptyState';

const ACTIONS: Record<string, { label: string; color?: string }> = {
  organization_created: { label: 'Organization created', color: 'purple' },
  invited: { label: 'Invited', color: 'blue' },
  invite_resent: { label: 'Invitation resent', color: 'blue' },
  invite_undelivered: { label: 'Invitation e-mail not delivered', color: 'volcano' },
  invite_revoked: { label: 'Invitation revoked', color: 'volcano' },
  role_changed: { label: 'Role changed', color: 'geekblue' },
  member_removed: { label: 'Member removed', color: 'volcano' },
  member_deactivated: { label: 'Member deactivated', color: 'volcano' },
  member_reactivated: { label: 'Member reactivated', color: 'green' },
  settings_updated: { label: 'Settings changed', color: 'purple' },
  assistant_created: { label: 'Assistant created', color: 'purple' },
  assistant_user_assigned: { label: 'Assigned to assistant', color: 'cyan' },
  assistant_user_unassigned: { label: 'Unassigned from assistant', color: 'orange' },
  assistant_manager_granted: { label: 'Made assistant manager', color: 'gold' },
  assistant_manager_revoked: { label: 'Assistant manager removed', color: 'gold' },
  lead_created: { label: 'Lead created', color: 'green' },
  lead_updated: { label: 'Lead updated', color: 'green' },
  lead_reassigned: { label: 'Lead reassigned', color: 'green' },
  leads_reassigned: { label: 'Leads handed over', color: 'green' },
  leads_imported: { label: 'Leads imported', color: 'green' },
  invitation_accepted: { label: 'Invitation accepted', color: 'green' },
  scim_user_updated: { label: 'Member updated by SCIM', color: 'geekblue' },
  assistant_renamed: { label: 'Assistant renamed', color: 'purple' },
  password_reset_requested: { label: 'Password reset requested', color: 'blue' },
  password_reset_completed: { label: 'Password reset completed', color: 'green' },
  mfa_enabled: { label: 'Two-factor turned on', color: 'green' },
  mfa_disabled: { label: 'Two-factor turned off', color: 'volcano' },
  mfa_reset: { label: 'Two-factor reset', color: 'volcano' },
  mfa_recovery_code_used: { label: 'Recovery code used', color: 'orange' },
  mfa_requirement_changed: { label: 'Two-factor requirement changed', color: 'purple' },
  webhook_created: { label: 'Webhook added', color: 'magenta' },
  webhook_updated: { label: 'Webhook changed', color: 'magenta' },
  webhook_deleted: { label: 'Webhook deleted', color: 'volcano' },
  webhook_secret_rotated: { label: 'Webhook secret rotated', color: 'magenta' },
  webhook_tested: { label: 'Webhook test sent', color: 'magenta' },
  webhook_disabled: { label: 'Webhook disabled after failures', color: 'red' },
  api_key_created: { label: 'API key created', color: 'purple' },
  api_key_revoked: { label: 'API key revoked', color: 'volcano' },
};

const DETAIL_LABELS: Record<string, string> = {
  assistant_id: 'assistant',
  assistant_ids: 'assistants',
  lead_id: 'lead',
  lead_count: 'leads',
  reassigned_to: 'leads went to',
  existing_account: 'existing account',
  expires_at: 'expires',
  admin_email: 'admin e-mail',
  is_manager: 'manager',
  was_manager: 'was manager',
  api_key_id: 'key',
  reassigned_lead_count: 'leads moved',
  by_assistant: 'per assistant',
  webhook_id: 'webhook',
  previous_secret_until: 'old secret valid until',
  failing_since: 'failing since',
  last_error: 'last error',
  reason: 'because of',
  sessions_ended: 'sessions ended',
  recovery_codes_left: 'recovery codes left',
  external_id: 'external ID',
};

/** How a password reset was asked for (`via`). */
const RESET_ORIGINS: Record<string, string> = {
  sign_in_page: 'asked on the sign-in page',
  admin: 'sent by an admin',
};

const REASONS: Record<string, string> = {
  member_removed: 'a removal',
  member_deactivated: 'a deactivation',
  assistant_user_unassigned: 'an unassignment from an assistant',
  leads_reassign: 'a reassignment of several leads',
};

/** Detail keys whose values are user IDs. */
const PERSON_KEYS = new Set(['reassigned_to', 'owner_id']);
const isId = (value: unknown): value is string => typeof value === 'string' && /^\d+$/.test(value);

/** Whether a detail names a person: `reassigned_to`, and `from`/`to` of a lead's reassignment. */
function isPerson(event: AuditEvent, key: string, value: unknown): value is string {
  return isId(value) && (PERSON_KEYS.has(key) || (event.action === 'lead_reassigned' && (key === 'from' || key === 'to')));
}

/** A settings change, one line per setting that changed ("Default heir"
 *  from → to); `person` when the values are user IDs. */
interface SettingChange { label: string; from: unknown; to: unknown; person?: boolean }

const SETTING_LABELS: Record<string, { label: string; person?: boolean }> = {
  heir_user_id: { label: 'Default heir', person: true },
  prefer_assistant_manager: { label: "Prefer the assistant's manager" },
  require_mfa: { label: 'Require two-factor' },
};

const asObject = (value: unknown): Record<string, unknown> =>
  (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {});

/** The settings a settings_updated event changed: its `from` and `to` are the
 *  whole settings, {"offboarding": {...}} and perhaps more, before and after. */
function settingChanges(event: AuditEvent): SettingChange[] {
  if (event.action !== 'settings_updated') return [];
  const before = asObject(event.details?.from);
  const after = asObject(event.details?.to);
  const flat = (settings: Record<string, unknown>) => ({ ...settings, ...asObject(settings.offboarding) });
  const [from, to] = [flat(before), flat(after)];
  const changes: SettingChange[] = [];
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (key === 'offboarding' || JSON.stringify(from[key]) === JSON.stringify(to[key])) continue;
    const known = SETTING_LABELS[key];
    changes.push({ label: known?.label ?? key.replace(/_/g, ' '), from: from[key], to: to[key], person: known?.person });
  }
  return changes;
}

/** User IDs the details mention. */
function peopleIn(event: AuditEvent): string[] {
  const heirs = settingChanges(event).filter((change) => change.person)
    .flatMap((change) => [change.from, change.to]).filter(isId);
  return [...Object.entries(event.details ?? {})
    .filter(([key, value]) => isPerson(event, key, value))
    .map(([, value]) => value as string), ...heirs];
}

const ROLE_LABELS: Record<string, string> = { admin: 'org admin', user: 'user' };
/** The filter's words where one action is shown under two labels. */
const FILTER_LABELS: Record<string, string> = { invited: 'Invited or added' };
const ACTION_OPTIONS = Object.entries(ACTIONS).map(([value, { label }]) => ({ value, label: FILTER_LABELS[value] ?? label }))
  .sort((a, b) => a.label.localeCompare(b.label));

/** Lead IDs the details mention. */
function leadsIn(event: AuditEvent): string[] {
  const id = event.details?.lead_id;
  return isId(id) ? [id] : [];
}

/** An event's label. An invitation of an account that has a password
 *  already added him at once (the toast and his e-mail say "added"): "Added". */
function actionLabel(event: AuditEvent) {
  if (event.action === 'invited' && event.details?.existing_account === true) return { label: 'Added', color: 'blue' };
  return ACTIONS[event.action] ?? { label: event.action.replace(/_/g, ' ') };
}

/** Who acted when no person and no key did: nobody for a password reset
 *  asked on the sign-in page (docs/account-recovery.md), else the command
 *  line or Roster itself (docs/user-guide.md section 7). */
function nobodyFor(event: AuditEvent): { name: string; note?: string } {
  if (event.action === 'password_reset_requested' && event.details?.via === 'sign_in_page') {
    return { name: 'Nobody', note: 'sign-in page' };
  }
  return { name: 'System' };
}

export default function AuditPage() {
  const { orgId, isAdmin } = useOrg();
  const [fields, setFields] = useState<AuditFilterFields>(NO_AUDIT_FILTERS);
  const filters = auditQuery(fields);
  const filterKey = JSON.stringify(filters);
  const list = useCursorList<AuditEvent>(
    // Someone who is no admin is told so without asking: the server's 403 was
    // an error in the browser's console on every visit.
    (cursor, signal) => (isAdmin ? roster.auditEvents(orgId, { ...filters, limit: 50, cursor }, signal)
      : Promise.resolve({ items: [], next_cursor: null })),
    isAdmin ? `${orgId}|${filterKey}` : '',
  );
  const assistants = useAssistants(orgId, isAdmin);
  const person = usePeople(orgId, isAdmin ? list.items.flatMap(peopleIn) : []);
  const leadName = useLeadNames(orgId, isAdmin ? list.items.flatMap(leadsIn) : []);
  const filtered = filterKey !== '{}';
  // On a narrow screen the table scrolls sideways inside the card: its
  // scrolling box then takes the focus, so the keyboard can scroll it too.
  const tableBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const mark = () => {
      const content = tableBox.current?.querySelector('.ant-table-content');
      if (!content) return;
      if (content.scrollWidth > content.clientWidth + 1) {
        content.setAttribute('tabindex', '0');
        content.setAttribute('role', 'region');
        content.setAttribute('aria-label', 'Audit events (scrolls sideways)');
      } else {
        for (const name of ['tabindex', 'role', 'aria-label']) content.removeAttribute(name);
      }
    };
    mark();
    window.addEventListener('resize', mark);
    return () => window.removeEventListener('resize', mark);
  });

  if (!isAdmin) {
    return <Result status="403" title="Admins only" subTitle="Only the organization's admins can read its audit log." />;
  }

  const who = (name: string | null, email: string | null, nobody: { name: string; note?: string }) => {
    if (name === null) {
      return (
        <span className="cell-secondary">
          {nobody.name}
          {nobody.note && <>{' '}<div className="cell-line">{nobody.note}</div></>}
        </span>
      );
    }
    return (
      <span className="audit-person">
        {/* The space keeps name and e-mail apart in copied and read-out text. */}
        <span className="cell-truncate" title={name}>{name}</span>{' '}
        <div className="cell-secondary cell-truncate cell-line" title={email ?? undefined}>{email}</div>
      </span>
    );
  };

  const details = (event: AuditEvent) => {
    // A null says nothing ("leads went to" when there were none), except an
    // expiry's: never.
    const entries = Object.entries(event.details ?? {}).filter(([key, value]) => value !== null || key === 'expires_at');
    if (entries.length === 0) return '—';
    if (event.action === 'role_changed' && typeof event.details.from === 'string' && typeof event.details.to === 'string') {
      const role = (value: string) => ROLE_LABELS[value] ?? value;
      return <span className="audit-details"><div>role: {role(event.details.from)} → {role(event.details.to)}</div></span>;
    }
    if (event.action === 'settings_updated') {
      const changes = settingChanges(event);
      const word = (change: SettingChange, value: unknown) => {
        if (typeof value === 'boolean') return value ? 'on' : 'off';
        if (value === null || value === undefined) return change.person ? 'nobody' : '—';
        if (change.person && isId(value)) {
          const found = person(value);
          return found ? found.name : found === null ? `former member #${value}` : '…';
        }
        return typeof value === 'string' ? value : JSON.stringify(value);
      };
      return (
        <span className="audit-details">
          {changes.length === 0 ? '—' : changes.map((change) => (
            <div key={change.label}>{change.label}: {word(change, change.from)} → {word(change, change.to)}</div>
          ))}
        </span>
      );
    }
    if (event.action === 'assistant_renamed' && typeof event.details.from === 'string' && typeof event.details.to === 'string') {
      return (
        <span className="audit-details">
          {typeof event.details.assistant_id === 'string' && <div>assistant: {assistants.nameOf(event.details.assistant_id)}</div>}
          <div>name: {event.details.from} → {event.details.to}</div>
        </span>
      );
    }
    return (
      <span className="audit-details">
        {entries.map(([key, value]) => {
          let text = typeof value === 'string' ? value : JSON.stringify(value);
          if (typeof value === 'boolean') text = value ? 'yes' : 'no';
          if (key === 'assistant_id' && typeof value === 'string') text = assistants.nameOf(value);
          if (key === 'assistant_ids' && Array.isArray(value)) text = value.map((id) => assistants.nameOf(String(id))).join(', ') || 'none';
          if (key === 'webhook_id' || key === 'api_key_id') text = `#${text}`;
          if (key === 'lead_id') {
            const name = isId(value) ? leadName(value) : null;
            text = name ?? (name === null ? `#${text}` : '…');
          }
          if (key === 'expires_at' && typeof value !== 'string') text = 'never';
          if ((key === 'expires_at' || key === 'previous_secret_until' || key === 'failing_since') && typeof value === 'string') {
            text = formatDateTime(value);
          }
          if (key === 'require_mfa' && typeof value === 'boolean') {
            return <div key={key}>Require two-factor: {value ? 'on' : 'off'}</div>;
          }
          if (key === 'via' && typeof value === 'string') {
            return <div key={key}>{RESET_ORIGINS[value] ?? `via: ${value.replace(/_/g, ' ')}`}</div>;
          }
          if (key === 'reason' && typeof value === 'string') text = REASONS[value] ?? value.replace(/_/g, ' ');
          if (key === 'events' && Array.isArray(value)) text = value.includes('*') ? 'all' : value.join(', ');
          if (key === 'changes' && value !== null && typeof value === 'object') {
            // A lead's fields, each "from → to": "status: New → Won".
            const changes = Object.entries(value as Record<string, { from?: string; to?: string }>);
            const shown = (field: string, word?: string) => (field === 'status' && word ? capitalized(word) : word || '—');
            return (
              <Fragment key={key}>
                {changes.map(([field, change]) => <div key={field}>{field}: {shown(field, change.from)} → {shown(field, change.to)}</div>)}
              </Fragment>
            );
          }
          if (key === 'by_assistant' && Array.isArray(value)) {
            text = value.map((count: { assistant_id?: string; lead_count?: number }) =>
              `${assistants.nameOf(String(count.assistant_id))}: ${count.lead_count}`).join(', ');
          }
          if (isPerson(event, key, value)) {
            const found = person(value);
            text = found ? found.name : found === null ? `former member #${value}` : '…';
          }
          return <div key={key}>{DETAIL_LABELS[key] ?? key.replace(/_/g, ' ')}: {text}</div>;
        })}
      </span>
    );
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Who did what to whom, and when. Every change is recorded with the change itself."
        extra={<ExportMenu orgId={orgId} list="audit-events" what="the audit log" filters={{ ...filters }} />}
      />
      <Card className="page-card">
        <AuditFilters orgId={orgId} fields={fields} actions={ACTION_OPTIONS} onChange={setFields} />
        {list.error && <ListError error={list.error} onRetry={list.reload} />}
        <div ref={tableBox}>
        <Table<AuditEvent>
          rowKey="id"
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <EmptyState loading={list.loading} text={list.error ? 'The audit log could not be loaded.' : filtered ? 'No events match these filters.' : 'Nothing has happened yet.'} /> }}
          columns={[
            // The day over the time: on one line they took the width Details needs at 1366 px.
            { title: 'When', dataIndex: 'at', className: 'nowrap', render: (at: string) => {
              const moment = dayAndTime(at, true);
              return moment ? <span>{moment.day}<br /><span className="cell-secondary">{moment.time}</span></span> : formatDateTimeSeconds(at);
            } },
            {
              title: 'Who',
              key: 'actor',
              render: (_: unknown, event) => (event.actor_api_key_id
                ? <span>{event.actor_api_key_name ?? `#${event.actor_api_key_id}`}<div className="cell-secondary">API key</div></span>
                : who(event.actor_name, event.actor_email, nobodyFor(event))),
            },
            {
              title: 'What',
              key: 'action',
              render: (_: unknown, event) => {
                const { label, color } = actionLabel(event);
                return <Tag color={color}>{label}</Tag>;
              },
            },
            { title: 'Whom', key: 'target', render: (_: unknown, event) => who(event.target_name, event.target_email, { name: '—' }) },
            { title: 'Details', key: 'details', width: 260, render: (_: unknown, event) => details(event) },
          ]}
        />
        </div>
        <LoadMore shown={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} noun="events" one="event" />
      </Card>
    </>
  );
}
