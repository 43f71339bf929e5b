// "Unassign" a user from an assistant, in one dialog: how many leads he
// owns there, and, when he owns any, who receives them: an active member of
// the assistant, or any active member, who is then assigned to it first.
// "Proceed" unassigns (SPEC 2.6); the toast names the count and the receiver.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Modal from 'antd/es/modal';
import Skeleton from 'antd/es/skeleton';
import Typography from 'antd/es/typography';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Assistant, AssistantUser } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { MemberSelect } from '../components/MemberSelect';
import { plural } from '../lib/format';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useMissingAssignments } from '../lib/useAssignments';
import { usePeople } from '../lib/usePeople';
import { useToast } from '../toast';

export function UnassignDialog({ orgId, assistant, user, onClose, onDone, afterClose }: {
  orgId: string; assistant: Assistant; user: AssistantUser | null; onClose: () => void; onDone: () => void;
  /** Once it has closed: where the focus goes (it opens from a menu item, gone by then). */
  afterClose?: () => void;
}) {
  const message = useToast();
  const receiver = useChoice(user);
  const [leads, setLeads] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const person = usePeople(orgId, [receiver.chosen]);
  const receiverName = person(receiver.chosen)?.name;
  const missing = useMissingAssignments(orgId, receiver.chosen, [assistant.id]);
  const receiverIsNew = missing !== null && missing.length > 0;

  useEffect(() => {
    setLeads(null);
    setLoadError(null);
    if (!user) return;
    let live = true;
    roster.removalPreview(orgId, user.user_id)
      .then((preview) => {
        if (live) setLeads(preview.by_assistant.find((item) => item.assistant_id === assistant.id)?.lead_count ?? 0);
      })
      .catch((caught) => { if (live) setLoadError(errorMessage(caught)); });
    return () => { live = false; };
  }, [orgId, assistant.id, user]);

  const owns = (leads ?? 0) > 0;
  // "Give the leads to", once the count shows it is needed; antd put the focus on ×.
  useFocusWhenOpen(user !== null && owns, 'unassign-receiver');
  const proceed = () => receiver.proceed(async (receiverId) => {
    if (!user || leads === null) return;
    if (owns && receiverId && receiverIsNew) await roster.assignUser(orgId, assistant.id, receiverId);
    await roster.unassignUser(orgId, assistant.id, user.user_id, owns ? receiverId : undefined);
    message.success(owns
      ? `${user.name} was unassigned from ${assistant.name}; ${plural(leads, 'lead')} went to ${receiverName ?? 'the receiver'}.`
      : `${user.name} was unassigned from ${assistant.name}.`);
    onDone();
  }, owns);

  return (
    <Modal
      title={user ? `Unassign ${user.name} from ${assistant.name}?` : ''}
      open={user !== null}
      okText="Proceed"
      okButtonProps={{ danger: true, disabled: leads === null }}
      confirmLoading={receiver.busy}
      onOk={() => void proceed()}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      {loadError && <Alert type="error" showIcon role="alert" title={loadError} className="form-alert" />}
      {leads === null && !loadError && <Skeleton active paragraph={{ rows: 1 }} />}
      {user && leads !== null && (
        <Typography.Paragraph>
          {user.name} stops working with {assistant.name}
          {owns ? <> and owns <strong>{plural(leads, 'lead')}</strong> on it. Choose who takes them over.</> : ' and owns no leads on it.'}
        </Typography.Paragraph>
      )}
      {owns && user && (
        <>
          <ChoiceField choice={receiver} id="unassign-receiver" label="Give the leads to"
                       missingText="Choose who receives the leads."
                       help={`Any active member; one who is not on ${assistant.name} yet is assigned to it first.`}>
            <MemberSelect
              id="unassign-receiver"
              orgId={orgId}
              status="active"
              exclude={[user.user_id]}
              value={receiver.chosen}
              onChange={receiver.choose}
              placeholder="Search active members"
            />
          </ChoiceField>
          {receiverName && missing !== null && (
            <Alert type="info" showIcon className="form-alert"
                   title={`${user.name}'s ${plural(leads ?? 0, 'lead')} ${leads === 1 ? 'goes' : 'go'} to ${receiverName}${
                     receiverIsNew ? `, who is added to ${assistant.name}` : ''}.`} />
          )}
        </>
      )}
      {receiver.error && <Alert type="error" showIcon role="alert" title={receiver.error} />}
    </Modal>
  );
}
