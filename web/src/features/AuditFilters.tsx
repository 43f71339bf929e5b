// The audit log's filters: who acted, what, to whom, and a range of days
// (From and To, both included, in the browser's time zone). The server
// applies them (GET /audit-events?actor=&actor_api_key=&action=&target=&since=&until=),
// and the export takes the same. Who acted is a member or an API key. A From after To is said on the fields and never
// asked of the server: the filters keep the last range that made sense.
import { useEffect, useMemo, useState } from 'react';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import type { AuditFilters as Filters } from '../api/roster';
import { MemberSelect } from '../components/MemberSelect';
import { AuditActorSelect } from './AuditActorSelect';
import { startOfDay } from '../lib/format';
import './auditFilters.css';

export interface AuditFilterFields {
  /** A member's ID. */
  actor?: string;
  /** An API key's ID (instead of a member). */
  actorKey?: string;
  action: string;
  target?: string;
  /** Days as a date input gives them: "2026-12-02", or "". */
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilterFields = { action: '', from: '', to: '' };

/** The fields as the API's query parameters. */
export function auditQuery(fields: AuditFilterFields): Filters {
  return {
    actor: fields.actor || undefined,
    actor_api_key: fields.actorKey || undefined,
    action: fields.action || undefined,
    target: fields.target || undefined,
    since: startOfDay(fields.from),
    until: startOfDay(fields.to, 1),
  };
}

export function AuditFilters({ orgId, fields, actions, onChange }: {
  orgId: string;
  fields: AuditFilterFields;
  actions: { value: string; label: string }[];
  onChange: (fields: AuditFilterFields) => void;
}) {
  const set = (change: Partial<AuditFilterFields>) => onChange({ ...fields, ...change });
  const options = useMemo(() => [{ value: '', label: 'All actions' }, ...actions], [actions]);
  // The days as typed; applied only while From is not after To.
  const [dates, setDates] = useState({ from: fields.from, to: fields.to });
  useEffect(() => setDates({ from: fields.from, to: fields.to }), [fields.from, fields.to]);
  const inverted = Boolean(dates.from && dates.to && dates.from > dates.to);
  const setDate = (change: Partial<typeof dates>) => {
    const next = { ...dates, ...change };
    setDates(next);
    if (!(next.from && next.to && next.from > next.to)) set(next);
  };
  const any = Boolean(fields.actor || fields.actorKey || fields.action || fields.target || dates.from || dates.to);
  const clear = () => {
    setDates({ from: '', to: '' });
    onChange(NO_AUDIT_FILTERS);
  };
  const invalid = inverted ? { status: 'error' as const, 'aria-invalid': true, 'aria-describedby': 'audit-range-error' } : {};
  return (
    <div className="toolbar audit-filters" role="search" aria-label="Filter the audit log">
      <div className="filter owner-filter">
        <AuditActorSelect orgId={orgId}
                          value={fields.actor ? { member: fields.actor } : fields.actorKey ? { key: fields.actorKey } : undefined}
                          onChange={(value) => set({
                            actor: value && 'member' in value ? value.member : undefined,
                            actorKey: value && 'key' in value ? value.key : undefined,
                          })} />
      </div>
      <Select className="filter" aria-label="Action" value={fields.action} options={options}
              showSearch={{ optionFilterProp: 'label' }} popupMatchSelectWidth={false}
              onChange={(value: string) => set({ action: value })} />
      <div className="filter owner-filter">
        <MemberSelect orgId={orgId} aria-label="Whom it was about" placeholder="About anyone" allowClear
                      value={fields.target} onChange={(value: string | undefined) => set({ target: value })} />
      </div>
      <label className="date-filter">
        <span>From</span>
        <Input type="date" value={dates.from} max={dates.to || undefined} {...invalid}
               onChange={(event) => setDate({ from: event.target.value })} />
      </label>
      <label className="date-filter">
        <span>To</span>
        <Input type="date" value={dates.to} min={dates.from || undefined} {...invalid}
               onChange={(event) => setDate({ to: event.target.value })} />
      </label>
      {any && <Button type="link" onClick={clear}>Clear filters</Button>}
      {inverted && (
        <div id="audit-range-error" className="audit-range-error" role="alert">
          To must be on or after From.
        </div>
      )}
    </div>
  );
}
