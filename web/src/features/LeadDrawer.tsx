// A lead's details in a drawer, opened from its name in the Leads list:
// contact, status, assistant, owner, when it was created, and, for those
// who may ask (admins, the assistant's managers), who can see it and why.
import Drawer from 'antd/es/drawer';
import Tag from 'antd/es/tag';
import type { Lead } from '../api/types';
import { capitalized, formatDateTime } from '../lib/format';
import { LeadAccessList } from './LeadDialogs';

export function LeadDrawer({ orgId, lead, assistantName, mayExplain, onClose }: {
  orgId: string; lead: Lead | null; assistantName: string; mayExplain: boolean; onClose: () => void;
}) {
  return (
    <Drawer title={lead?.name ?? ''} open={lead !== null} onClose={onClose} size="large" destroyOnHidden>
      {lead && (
        <>
          <dl className="lead-details">
            <dt>E-mail</dt><dd>{lead.email}</dd>
            <dt>Company</dt><dd>{lead.company || '—'}</dd>
            <dt>Status</dt><dd><Tag>{capitalized(lead.status)}</Tag></dd>
            <dt>Assistant</dt><dd>{assistantName}</dd>
            <dt>Owner</dt><dd>{lead.owner_name} <span className="cell-secondary">{lead.owner_email}</span></dd>
            <dt>Created</dt><dd>{formatDateTime(lead.created_at)}</dd>
          </dl>
          {mayExplain && (
            <section aria-label="Who can see this lead">
              <h2 className="drawer-section-title">Who can see this lead</h2>
              <LeadAccessList orgId={orgId} lead={lead} />
            </section>
          )}
        </>
      )}
    </Drawer>
  );
}
