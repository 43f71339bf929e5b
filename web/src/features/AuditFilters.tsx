// The audit log's filters: who acted, what, to whom, and a range of days
// (From and To, both included, in the browser's time zone). The server
// applies them (GET /audit-events?actor=&action=&target=&since=&until=), and
// the export takes the same.
import { useMemo } from 'react';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import type { AuditFilters as Filters } from '../api/roster';
import { MemberSelect } from '../components/MemberSelect';
import { startOfDay } from '../lib/format';

export interface AuditFilterFields {
  actor?: string;
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
  const any = Boolean(fields.actor || fields.action || fields.target || fields.from || fields.to);
  return (
    <div className="toolbar audit-filters" role="search" aria-label="Filter the audit log">
      <div className="filter owner-filter">
        <MemberSelect orgId={orgId} aria-label="Who acted" placeholder="Anyone acted" allowClear
                      value={fields.actor} onChange={(value: string | undefined) => set({ actor: value })} />
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
        <Input type="date" value={fields.from} max={fields.to || undefined}
               onChange={(event) => set({ from: event.target.value })} />
      </label>
      <label className="date-filter">
        <span>To</span>
        <Input type="date" value={fields.to} min={fields.from || undefined}
               onChange={(event) => set({ to: event.target.value })} />
      </label>
      {any && <Button type="link" onClick={() => onChange(NO_AUDIT_FILTERS)}>Clear filters</Button>}
    </div>
  );
}
