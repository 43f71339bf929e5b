// A lead's details in a drawer, opened from its name in the Leads list:
// contact, status, assistant, owner, when it was created, and, for those
// who may ask (admins, the assistant's managers), who can see it and why.
// Everyone who sees a lead may change its status, name and company here.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Drawer from 'antd/es/drawer';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import { LEAD_STATUSES } from '../api/types';
import type { Lead } from '../api/types';
import { showFieldErrors } from '../lib/fieldErrors';
import { capitalized, formatDateTime } from '../lib/format';
import { useToast } from '../toast';
import { LeadAccessList } from './LeadDialogs';

interface LeadFields {
  status: string;
  name: string;
  company?: string;
}

export function LeadDrawer({ orgId, lead, assistantName, mayExplain, onClose, onGone, onChanged }: {
  orgId: string; lead: Lead | null; assistantName: string; mayExplain: boolean; onClose: () => void;
  /** Save answered 404: the lead is no longer his to see (the list says so). */
  onGone: (lead: Lead) => void;
  onChanged: (lead: Lead) => void;
}) {
  const message = useToast();
  const [form] = Form.useForm<LeadFields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setError(null), [lead?.id]);

  const save = async (fields: LeadFields) => {
    if (!lead) return;
    // Only what was changed: a patch does not overwrite another's change
    // of a field this one left alone.
    const changes: { status?: string; name?: string; company?: string } = {};
    if (fields.status !== lead.status) changes.status = fields.status;
    if (fields.name.trim() !== lead.name) changes.name = fields.name.trim();
    if ((fields.company?.trim() ?? '') !== (lead.company ?? '')) changes.company = fields.company?.trim() ?? '';
    if (Object.keys(changes).length === 0) {
      message.info('Nothing to save: no field was changed.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await roster.updateLead(orgId, lead.id, changes);
      message.success(`Lead ${updated.name} saved.`);
      onChanged(updated);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) {
        onGone(lead);
        return;
      }
      if (!showFieldErrors(form, caught, { status: 'status', name: 'name', company: 'company' })) {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      // A long name is cut in the title (it is whole in the Name field below).
      title={<span className="drawer-title-text" title={lead?.name}>{lead?.name ?? ''}</span>}
      open={lead !== null}
      onClose={onClose}
      size="large"
      destroyOnHidden
    >
      {lead && (
        <>
          <dl className="lead-details">
            <dt>E-mail</dt><dd className="lead-email">{lead.email}</dd>
            <dt>Assistant</dt><dd>{assistantName}</dd>
            <dt>Owner</dt><dd>{lead.owner_name} <span className="cell-secondary">{lead.owner_email}</span></dd>
            <dt>Created</dt><dd>{formatDateTime(lead.created_at)}</dd>
          </dl>
          <section aria-label="Edit lead">
            <h2 className="drawer-section-title">Status and contact</h2>
            {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
            {/* Named, so that its fields' ids are not the New lead dialog's. */}
            <Form<LeadFields> key={lead.id} name="lead-edit" form={form} layout="vertical" requiredMark="optional" className="lead-edit"
                              initialValues={{ status: lead.status, name: lead.name, company: lead.company ?? '' }}
                              onFinish={(fields) => void save(fields)}>
              <Form.Item label="Status" name="status" rules={[{ required: true, message: 'Choose the status.' }]}>
                <Select options={LEAD_STATUSES.map((word) => ({ value: word, label: capitalized(word) }))} />
              </Form.Item>
              <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Enter the lead\'s name.' }]}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item label="Company" name="company">
                <Input autoComplete="off" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>Save</Button>
            </Form>
          </section>
          {mayExplain && (
            <section aria-label="Who can see this lead">
              <h2 className="drawer-section-title">Who can see this lead</h2>
              <LeadAccessList orgId={orgId} lead={lead} onGone={onGone} />
            </section>
          )}
        </>
      )}
    </Drawer>
  );
}
