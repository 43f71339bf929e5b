// What admins can do to several selected members of Org users at once:
// "Resend invite", "Make org admin" / "Remove org admin rights" (confirmed
// with "Yes") and "Remove" (one receiver for all their leads, "Proceed").
// Each is one API call per member, one after another; the result of each
// row is shown afterwards ("Done", "Skipped" with why, or the reason it
// failed).
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Modal from 'antd/es/modal';
import Skeleton from 'antd/es/skeleton';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Member, RemovalPreview } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { MemberSelect } from '../components/MemberSelect';
import { plural } from '../lib/format';
import { useOrg } from '../lib/org';
import { useChoice } from '../lib/useChoice';
import { usePeople } from '../lib/usePeople';

export interface RowResult {
  member: Member;
  ok: boolean;
  /** Nothing to do for him (already a user, already an org admin): no request was made. */
  skipped?: boolean;
  text: string;
}

/** Thrown by a bulk action for a member it leaves as he is; its message says why. */
class Skipped extends Error {}

type Bulk = 'resend' | 'admin' | 'user' | 'remove' | null;

/** Runs `action` for each member in turn and collects what happened. */
async function eachMember(members: Member[], action: (member: Member) => Promise<string>): Promise<RowResult[]> {
  const results: RowResult[] = [];
  for (const member of members) {
    try {
      results.push({ member, ok: true, text: await action(member) });
    } catch (error) {
      if (error instanceof Skipped) results.push({ member, ok: true, skipped: true, text: error.message });
      else results.push({ member, ok: false, text: errorMessage(error) });
    }
  }
  return results;
}

export function BulkMemberActions({ orgId, orgName, selected, onDone }: {
  orgId: string; orgName: string; selected: Member[];
  /** After a bulk action: its per-row results (the page reloads its list). */
  onDone: (title: string, results: RowResult[]) => void;
}) {
  const { userId } = useOrg();
  const [open, setOpen] = useState<Bulk>(null);
  const [busy, setBusy] = useState(false);
  if (selected.length === 0) return null;
  const invited = selected.filter((member) => member.status !== 'active');
  const count = plural(selected.length, 'member');

  const run = async (title: string, action: (member: Member) => Promise<string>) => {
    setBusy(true);
    // The signed-in admin last: a change to himself may take away the
    // rights the other rows need.
    const members = [...selected.filter((member) => member.user_id !== userId),
                     ...selected.filter((member) => member.user_id === userId)];
    const results = await eachMember(members, action);
    setBusy(false);
    setOpen(null);
    onDone(title, results);
  };

  const resend = () => void run('Resend invite', async (member) => {
    if (member.status === 'active') throw new Error(`${member.name} has already joined; there is no invitation to resend.`);
    await roster.resendInvite(orgId, member.user_id);
    return `Invitation resent to ${member.email}.`;
  });

  const changeRole = (role: 'admin' | 'user') => void run(role === 'admin' ? 'Make org admin' : 'Remove org admin rights',
    async (member) => {
      // "Done" would say he changed; a member already in that role did not.
      if (member.role === role) throw new Skipped(role === 'admin' ? 'Already an org admin.' : 'Already a user.');
      await roster.changeRole(orgId, member.user_id, role);
      return role === 'admin' ? 'Now an org admin.' : 'No longer an org admin.';
    });

  return (
    <div className="bulk-bar" role="region" aria-label="Selected members">
      <Typography.Text strong>{count} selected</Typography.Text>
      <Button onClick={resend} disabled={invited.length === 0} loading={busy && open === null}>Resend invite</Button>
      <Button onClick={() => setOpen('admin')}>Make org admin</Button>
      <Button onClick={() => setOpen('user')}>Remove org admin rights</Button>
      <Button danger onClick={() => setOpen('remove')}>Remove</Button>
      <Modal
        open={open === 'admin' || open === 'user'}
        title={open === 'admin' ? `Make ${count} org admins?` : `Remove the org admin rights of ${count}?`}
        okText="Yes"
        cancelText="No"
        confirmLoading={busy}
        onOk={() => changeRole(open === 'admin' ? 'admin' : 'user')}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {open === 'admin'
            ? `${selected.map((member) => member.name).join(', ')} will invite, remove and change the role of members of ${orgName}, and see every lead.`
            : `${selected.map((member) => member.name).join(', ')} stay in ${orgName} as users. The organization's last active admin keeps the rights.`}
        </Typography.Paragraph>
      </Modal>
      <BulkRemoveDialog
        orgId={orgId}
        orgName={orgName}
        members={open === 'remove' ? selected : null}
        busy={busy}
        onClose={() => setOpen(null)}
        onProceed={(receiverId, previews) => void run('Remove', async (member) => {
          const owns = (previews.get(member.user_id)?.lead_count ?? 0) > 0;
          const removal = await roster.removeMember(orgId, member.user_id, owns ? receiverId : undefined);
          if (member.status !== 'active') return 'Invitation revoked.';
          return removal.reassigned_lead_count > 0
            ? `Removed; ${plural(removal.reassigned_lead_count, 'lead')} handed over.`
            : 'Removed.';
        })}
      />
    </div>
  );
}

function BulkRemoveDialog({ orgId, orgName, members, busy, onClose, onProceed }: {
  orgId: string; orgName: string; members: Member[] | null; busy: boolean;
  onClose: () => void; onProceed: (receiverId: string | undefined, previews: Map<string, RemovalPreview>) => void;
}) {
  const [previews, setPreviews] = useState<Map<string, RemovalPreview> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const receiver = useChoice(members);
  const person = usePeople(orgId, [receiver.chosen]);

  useEffect(() => {
    setPreviews(null);
    setLoadError(null);
    if (!members) return;
    let live = true;
    Promise.all(members.map((member) => roster.removalPreview(orgId, member.user_id)
      .then((preview) => [member.user_id, preview] as const)))
      .then((answers) => { if (live) setPreviews(new Map(answers)); })
      .catch((caught) => { if (live) setLoadError(errorMessage(caught)); });
    return () => { live = false; };
  }, [orgId, members]);

  const leads = previews ? [...previews.values()].reduce((sum, preview) => sum + preview.lead_count, 0) : 0;
  const receiverName = person(receiver.chosen)?.name;
  const count = members ? plural(members.length, 'member') : '';

  return (
    <Modal
      open={members !== null}
      title={`Remove ${count} from ${orgName}?`}
      okText="Proceed"
      okButtonProps={{ danger: true, disabled: !previews }}
      confirmLoading={busy}
      onOk={() => {
        if (!previews) return;
        if (leads > 0 && !receiver.chosen) { void receiver.proceed(async () => {}); return; }
        onProceed(receiver.chosen, previews);
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        They lose access to {orgName} at once; invitations among them are revoked. Each is removed in turn,
        and the results are listed afterwards.
      </Typography.Paragraph>
      {loadError && <Alert type="error" showIcon role="alert" title={loadError} className="form-alert" />}
      {!previews && !loadError && <Skeleton active paragraph={{ rows: 2 }} />}
      {previews && members && (
        <Table
          size="small"
          pagination={false}
          rowKey="user_id"
          className="form-alert"
          dataSource={members}
          columns={[
            { title: 'Member', dataIndex: 'name' },
            { title: 'Leads', key: 'leads', align: 'right', width: 90,
              render: (_: unknown, member: Member) => previews.get(member.user_id)?.lead_count ?? 0 },
            { title: '', key: 'note', width: 150,
              render: (_: unknown, member: Member) => (previews.get(member.user_id)?.is_last_admin
                ? <Tag color="orange">Last admin: stays</Tag> : null) },
          ]}
        />
      )}
      {previews && leads > 0 && members && (
        <>
          <Typography.Paragraph>Together they own <strong>{plural(leads, 'lead')}</strong>.</Typography.Paragraph>
          <ChoiceField choice={receiver} id="bulk-removal-receiver" label="Give all their leads to"
                       missingText="Choose who receives the leads."
                       help="An active member who is not being removed. They are added to the assistants they are not on yet.">
            <MemberSelect
              id="bulk-removal-receiver"
              orgId={orgId}
              status="active"
              exclude={members.map((member) => member.user_id)}
              value={receiver.chosen}
              onChange={receiver.choose}
              placeholder="Search active members"
            />
          </ChoiceField>
          {receiverName && (
            <Alert type="info" showIcon className="form-alert"
                   title={`Their ${plural(leads, 'lead')} ${leads === 1 ? 'goes' : 'go'} to ${receiverName}.`} />
          )}
        </>
      )}
    </Modal>
  );
}

/** The per-row results of the last bulk action. */
export function BulkResults({ title, results, onClose, afterClose }: {
  title: string; results: RowResult[] | null; onClose: () => void;
  /** Once it has closed: where the focus goes (the bar that opened it is gone). */
  afterClose?: () => void;
}) {
  const failed = results?.filter((result) => !result.ok).length ?? 0;
  const skipped = results?.filter((result) => result.skipped).length ?? 0;
  const done = (results?.length ?? 0) - failed - skipped;
  return (
    <Modal
      open={results !== null}
      title={`${title}: ${done} done${skipped > 0 ? `, ${skipped} skipped` : ''}${failed > 0 ? `, ${failed} failed` : ''}`}
      footer={<Button type="primary" onClick={onClose}>OK</Button>}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      <Table<RowResult>
        size="small"
        pagination={false}
        rowKey={(result) => result.member.user_id}
        className="bulk-results"
        dataSource={results ?? []}
        columns={[
          { title: 'Member', key: 'member', render: (_: unknown, result) => (
            <span>{result.member.name}<div className="cell-secondary">{result.member.email}</div></span>) },
          { title: 'Result', key: 'result', render: (_: unknown, result) => (
            <span>
              {result.skipped ? <Tag>Skipped</Tag> : <Tag color={result.ok ? 'green' : 'red'}>{result.ok ? 'Done' : 'Failed'}</Tag>}
              {' '}{result.text}
            </span>) },
        ]}
      />
    </Modal>
  );
}
