// "Move all leads to…" on an assistant's user (holiday cover): every lead
// that person owns on the assistant goes to another of its users, in one
// request (POST /leads/reassign with assistant_id and from_owner_id). For
// admins and the assistant's managers; the person stays on the assistant.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Modal from 'antd/es/modal';
import Select from 'antd/es/select';
import Skeleton from 'antd/es/skeleton';
import Typography from 'antd/es/typography';
import { errorMessage } from '../api/client';
import { allPages, roster } from '../api/roster';
import type { Assistant, AssistantUser } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { personOption, plural } from '../lib/format';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useOrg } from '../lib/org';
import { useReturnFocus } from '../lib/useReturnFocus';
import { useToast } from '../toast';
import { useAssistantUsers } from './LeadDialogs';

/** How many leads `userId` owns on the assistant: the removal preview for
 *  admins, the visible leads counted for a manager (who sees them all). */
function useLeadCount(orgId: string, assistantId: string, userId: string | undefined) {
  const { isAdmin } = useOrg();
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setCount(null);
    setError(null);
    if (!userId) return;
    let live = true;
    const counted = isAdmin
      ? roster.removalPreview(orgId, userId).then((preview) =>
        preview.by_assistant.find((item) => item.assistant_id === assistantId)?.lead_count ?? 0)
      : allPages((cursor) => roster.leads(orgId, { assistant_id: assistantId, owner_id: userId, limit: 200, cursor }),
                 100000).then((leads) => leads.length);
    counted
      .then((value) => { if (live) setCount(value); })
      .catch((caught) => { if (live) setError(errorMessage(caught)); });
    return () => { live = false; };
  }, [orgId, assistantId, userId, isAdmin]);
  return { count, error };
}

export function MoveLeadsDialog({ orgId, assistant, user, onClose, onDone }: {
  orgId: string; assistant: Assistant; user: AssistantUser | null; onClose: () => void; onDone: () => void;
}) {
  const message = useToast();
  const receiver = useChoice(user);
  const { users, loading } = useAssistantUsers(orgId, user ? assistant.id : undefined);
  const { count, error: countError } = useLeadCount(orgId, assistant.id, user?.user_id);
  const receiverName = users.find((item) => item.user_id === receiver.chosen)?.name;
  const leads = plural(count ?? 0, 'lead');
  // It opens from a menu item, gone once the menu closes: antd would give the
  // focus back to nothing (the body). Back to the row's Action button instead.
  const { rememberLabel, restore } = useReturnFocus();
  useEffect(() => {
    if (user) rememberLabel(`Action for ${user.name}`);
  }, [user, rememberLabel]);
  // In "Move them to" once the count shows it, not on ×.
  useFocusWhenOpen(user !== null && (count ?? 0) > 0, 'move-leads-receiver');

  const proceed = () => receiver.proceed(async (ownerId) => {
    if (!user || !ownerId) return;
    const done = await roster.reassignLeads(orgId, { assistant_id: assistant.id, from_owner_id: user.user_id, owner_id: ownerId });
    message.success(`${plural(done.reassigned_lead_count, 'lead')} of ${user.name} on ${assistant.name} went to ${receiverName ?? 'the receiver'}.`);
    onDone();
  });

  return (
    <Modal
      title={user ? `Move all of ${user.name}'s leads` : ''}
      open={user !== null}
      okText="Proceed"
      okButtonProps={{ disabled: count === null || count === 0 }}
      confirmLoading={receiver.busy}
      onOk={() => void proceed()}
      onCancel={onClose}
      afterClose={restore}
      destroyOnHidden
    >
      {countError && <Alert type="error" showIcon role="alert" title={countError} className="form-alert" />}
      {count === null && !countError && <Skeleton active paragraph={{ rows: 1 }} />}
      {user && count !== null && (
        <Typography.Paragraph>
          {count === 0
            ? `${user.name} owns no leads on ${assistant.name}.`
            : receiverName
              ? <>Move all of {user.name}&apos;s <strong>{leads}</strong> on {assistant.name} to <strong>{receiverName}</strong>.</>
              : <>{user.name} owns <strong>{leads}</strong> on {assistant.name}. Choose who covers them; {user.name} stays on the assistant.</>}
        </Typography.Paragraph>
      )}
      {receiver.error && <Alert type="error" showIcon role="alert" title={receiver.error} className="form-alert" />}
      {user && count !== null && count > 0 && (
        <ChoiceField choice={receiver} id="move-leads-receiver" label="Move them to" missingText="Choose who receives the leads.">
          <Select
            id="move-leads-receiver"
            value={receiver.chosen}
            onChange={receiver.choose}
            loading={loading}
            placeholder={`A user of ${assistant.name}`}
            showSearch={{ optionFilterProp: 'label' }}
            notFoundContent="No other users on this assistant"
            options={users.filter((item) => item.user_id !== user.user_id).map(personOption)}
          />
        </ChoiceField>
      )}
    </Modal>
  );
}
