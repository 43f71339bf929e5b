// "Reassign" for the leads selected on the Leads page: one receiver for all
// of them, one request (POST /leads/reassign, all or nothing). The receiver
// must already be on each lead's assistant: with one assistant the picker
// lists its users; with several, any member, and the server says who cannot.
import Alert from 'antd/es/alert';
import Modal from 'antd/es/modal';
import Select from 'antd/es/select';
import Typography from 'antd/es/typography';
import { roster } from '../api/roster';
import type { Lead } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { MemberSelect } from '../components/MemberSelect';
import { personOption, plural } from '../lib/format';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { usePeople } from '../lib/usePeople';
import { useToast } from '../toast';
import { useAssistantUsers } from './LeadDialogs';

export function BulkReassignDialog({ orgId, leads, open, assistantName, onClose, onDone, afterClose }: {
  orgId: string; leads: Lead[]; open: boolean;
  /** The one assistant of all the leads, or '' when they are on several. */
  assistantName: string;
  onClose: () => void; onDone: () => void;
  /** Once it has closed: where the focus goes (its button goes with the selection). */
  afterClose?: () => void;
}) {
  const message = useToast();
  const receiver = useChoice(open);
  const oneAssistant = assistantName !== '' ? leads[0]?.assistant_id : undefined;
  const { users, loading } = useAssistantUsers(orgId, open ? oneAssistant : undefined);
  const person = usePeople(orgId, [receiver.chosen]);
  const receiverName = users.find((user) => user.user_id === receiver.chosen)?.name
    ?? person(receiver.chosen)?.name;
  const count = plural(leads.length, 'lead');
  // The one field; antd put the focus on ×.
  useFocusWhenOpen(open, 'bulk-new-owner');

  const proceed = () => receiver.proceed(async (ownerId) => {
    if (!ownerId) return;
    const done = await roster.reassignLeads(orgId, { lead_ids: leads.map((lead) => lead.id), owner_id: ownerId });
    message.success(done.reassigned_lead_count === 0
      ? `${receiverName ?? 'The receiver'} already owned ${leads.length === 1 ? 'this lead' : 'these leads'}.`
      : `${plural(done.reassigned_lead_count, 'lead')} now belong to ${receiverName ?? 'the new owner'}.`);
    onDone();
  });

  return (
    <Modal
      title={`Reassign ${count}`}
      open={open}
      okText="Proceed"
      confirmLoading={receiver.busy}
      onOk={() => void proceed()}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {receiver.chosen && receiverName
          ? <>The <strong>{count}</strong> you selected go to <strong>{receiverName}</strong>.</>
          : oneAssistant
            ? <>Choose who takes over the <strong>{count}</strong> you selected on {assistantName}.</>
            : <>Choose who takes over the <strong>{count}</strong> you selected. They must be on each lead&apos;s assistant.</>}
      </Typography.Paragraph>
      {receiver.error && <Alert type="error" showIcon role="alert" title={receiver.error} className="form-alert" />}
      <ChoiceField choice={receiver} id="bulk-new-owner" label="New owner" missingText="Choose the new owner.">
        {oneAssistant
          ? (
            <Select
              id="bulk-new-owner"
              value={receiver.chosen}
              onChange={receiver.choose}
              loading={loading}
              placeholder={`A user of ${assistantName}`}
              showSearch={{ optionFilterProp: 'label' }}
              options={users.map(personOption)}
            />
          )
          : <MemberSelect id="bulk-new-owner" orgId={orgId} status="active" value={receiver.chosen} onChange={receiver.choose} />}
      </ChoiceField>
    </Modal>
  );
}
