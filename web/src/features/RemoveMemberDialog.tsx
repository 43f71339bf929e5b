// "Remove from organization" (or, for an invited member, "Revoke
// invitation"): how many leads the member owns per assistant, whom they go
// to, what that does ("Carl Closer's 7 leads go to Hana Heir, who is added to
// Aria", or where the offboarding policy sends them when nobody is chosen),
// and "Proceed" (SPEC 2.3); for an active member it offers deactivation,
// which can be undone, instead.
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Modal from 'antd/es/modal';
import Skeleton from 'antd/es/skeleton';
import Typography from 'antd/es/typography';
import { roster } from '../api/roster';
import type { Member } from '../api/types';
import { plural } from '../lib/format';
import { useAssistants } from '../lib/useAssistants';
import { listOfNames, useMissingAssignments } from '../lib/useAssignments';
import { usePeople } from '../lib/usePeople';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';
import { LeadHandOver } from './LeadHandOver';
import { handoverError, unplacedReason, useSituation } from './offboardingPolicy';

export function RemoveMemberDialog({ orgId, orgName, member, onClose, onRemoved, onDeactivateInstead, afterClose }: {
  orgId: string; orgName: string; member: Member | null; onClose: () => void; onRemoved: (member: Member) => void;
  onDeactivateInstead?: (member: Member) => void;
  /** Once it has closed: where the focus goes (it opens from a menu item, gone by then). */
  afterClose?: () => void;
}) {
  const message = useToast();
  const { situation, loadError, byPolicy } = useSituation(orgId, member);
  const receiver = useChoice(member);
  const open = member !== null;
  const assistants = useAssistants(orgId, open);

  const preview = situation?.preview;
  const hasLeads = (preview?.lead_count ?? 0) > 0;
  const needsReceiver = hasLeads && !byPolicy;
  // A policy is set but has nobody for some of these leads: say why the field is required.
  const gap = situation && member && !receiver.chosen ? unplacedReason(situation, member, assistants.nameOf) : null;
  const invited = member !== null && member.status !== 'active';
  const person = usePeople(orgId, [receiver.chosen]);
  const receiverName = person(receiver.chosen)?.name;
  const leadAssistants = preview?.by_assistant.map((item) => item.assistant_id) ?? [];
  const addedTo = useMissingAssignments(orgId, receiver.chosen, leadAssistants);
  // "Give the leads to" is what there is to do here, once the preview shows it;
  // antd put the focus on ×.
  useFocusWhenOpen(open && hasLeads, 'removal-receiver');

  const proceed = () => receiver.proceed(async (receiverId) => {
    if (!member || !preview) return;
    const removal = await roster.removeMember(orgId, member.user_id, hasLeads ? receiverId : undefined)
      .catch((caught: unknown) => { throw handoverError(caught); });
    message.success(invited
      ? `${member.name}'s invitation to ${orgName} was revoked.`
      : removal.reassigned_lead_count > 0
        ? `${member.name} was removed from ${orgName}; ${plural(removal.reassigned_lead_count, 'lead')} ${
          receiverId && receiverName ? `went to ${receiverName}` : 'moved by the offboarding policy'}.`
        : `${member.name} was removed from ${orgName}.`);
    onRemoved(member);
  }, needsReceiver);

  return (
    <Modal
      title={member ? (invited ? `Revoke ${member.name}'s invitation?` : `Remove ${member.name} from ${orgName}?`) : ''}
      open={open}
      okText="Proceed"
      okButtonProps={{ danger: true, disabled: !preview || preview.is_last_admin }}
      onOk={() => void proceed()}
      confirmLoading={receiver.busy}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      {member && (
        <Typography.Paragraph>
          {invited
            ? <>The one-time password sent to <strong>{member.email}</strong> stops working at once; {member.name} can be invited again later.</>
            : <><strong>{member.name}</strong> ({member.email}) loses access to {orgName} at once: their next request is refused and their
              assistants no longer list them. Their account and other organizations stay.</>}
        </Typography.Paragraph>
      )}
      {member?.status === 'active' && onDeactivateInstead && (
        <Alert
          type="info"
          showIcon
          className="form-alert removal-alternative"
          title="Removal is for good."
          description="Deactivating keeps their history and assistant assignments, ends their access just the same, and can be undone."
          action={<Button size="small" onClick={() => onDeactivateInstead(member)}>Deactivate instead</Button>}
        />
      )}
      {loadError && <Alert type="error" showIcon role="alert" title={loadError} className="form-alert" />}
      {!preview && !loadError && <Skeleton active paragraph={{ rows: 2 }} />}
      {preview?.is_last_admin && (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          title="This is the organization's only active admin. Make another member an org admin first."
        />
      )}
      {preview && !preview.is_last_admin && !hasLeads && (
        <Typography.Paragraph type="secondary">{member?.name} owns no leads.</Typography.Paragraph>
      )}
      {preview && hasLeads && (
        <>
          {member && (
            <LeadHandOver id="removal-receiver" orgId={orgId} member={member} preview={preview}
              assistants={assistants} receiver={receiver} byPolicy={byPolicy} />
          )}
          {receiver.chosen && receiverName && member && (
            <Alert
              type="info"
              showIcon
              className="form-alert effect-summary"
              title={`${member.name}'s ${plural(preview.lead_count, 'lead')} ${preview.lead_count === 1 ? 'goes' : 'go'} to ${receiverName}${
                addedTo && addedTo.length > 0 ? `, who is added to ${listOfNames(addedTo.map(assistants.nameOf))}` : ''}.`}
            />
          )}
          {!receiver.chosen && byPolicy && member && (
            <Alert
              type="info"
              showIcon
              className="form-alert effect-summary"
              title={`By the offboarding policy, ${member.name}'s ${plural(preview.lead_count, 'lead')} ${
                preview.lead_count === 1 ? 'goes' : 'go'} to ${byPolicy}.`}
            />
          )}
          {gap && <Alert type="warning" showIcon className="form-alert offboarding-gap" title={gap} />}
        </>
      )}
      {receiver.error && <Alert type="error" showIcon role="alert" title={receiver.error} />}
    </Modal>
  );
}
