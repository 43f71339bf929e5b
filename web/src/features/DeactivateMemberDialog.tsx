// "Deactivate": the reversible way out (SPEC.md section 8). The dialog says
// how many leads the member owns and where they go: to the member chosen
// here, or by the organization's offboarding policy.
import { useEffect, useState } from 'react';
import Alert from 'antd/es/alert';
import Modal from 'antd/es/modal';
import Skeleton from 'antd/es/skeleton';
import Typography from 'antd/es/typography';
import { errorMessage } from '../api/client';
import { lifecycle } from '../api/lifecycle';
import type { Member } from '../api/types';
import { formatDuration, plural } from '../lib/format';
import { useAssistants } from '../lib/useAssistants';
import { useChoice } from '../lib/useChoice';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { usePeople } from '../lib/usePeople';
import { useToast } from '../toast';
import { LeadHandOver } from './LeadHandOver';
import { handoverError, unplacedReason, useSituation } from './offboardingPolicy';

export function DeactivateMemberDialog({ orgId, orgName, member, onClose, onDeactivated, afterClose }: {
  orgId: string; orgName: string; member: Member | null; onClose: () => void; onDeactivated: (member: Member) => void;
  /** Once it has closed: where the focus goes (it opens from a menu item, gone by then). */
  afterClose?: () => void;
}) {
  const message = useToast();
  const { situation, loadError, byPolicy } = useSituation(orgId, member);
  const receiver = useChoice(member);
  const open = member !== null;
  const assistants = useAssistants(orgId, open);

  const person = usePeople(orgId, [receiver.chosen]);
  const chosen = person(receiver.chosen);
  const receiverName = chosen ? `${chosen.name} (${chosen.email})` : null;
  const leads = situation?.preview.lead_count ?? 0;
  const needsReceiver = leads > 0 && !byPolicy;
  // A policy is set but has nobody for some of these leads: say why the field is required.
  const gap = situation && member && !receiver.chosen ? unplacedReason(situation, member, assistants.nameOf) : null;
  const blocked = !situation || situation.preview.is_last_admin;
  // The receiver field, once the preview shows it; antd put the focus on ×.
  useFocusWhenOpen(open && !blocked && leads > 0, 'deactivation-receiver');

  const proceed = () => receiver.proceed(async (receiverId) => {
    if (!member) return;
    const updated = await lifecycle.deactivate(orgId, member.user_id, leads > 0 ? receiverId || undefined : undefined)
      .catch((caught: unknown) => { throw handoverError(caught); });
    message.success(leads > 0
      ? `${member.name} is deactivated; ${plural(leads, 'lead')} moved.`
      : `${member.name} is deactivated.`);
    onDeactivated(updated);
  }, needsReceiver);

  const destination = receiver.chosen
    ? `All ${plural(leads, 'lead')} go to ${receiverName ?? 'the member chosen'}.`
    : byPolicy
      ? `By the offboarding policy, the leads go to ${byPolicy}.`
      : null;

  return (
    <Modal
      title="Deactivate member"
      open={open}
      okText="Deactivate"
      okButtonProps={{ danger: true, disabled: blocked }}
      onOk={() => void proceed()}
      confirmLoading={receiver.busy}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      {member && (
        <Typography.Paragraph>
          Deactivate <strong>{member.name}</strong> ({member.email})? They can no longer open {orgName}, and
          their sessions here end at once. Their history, role and assistant assignments stay (not their
          assistant manager rights), and you can reactivate them at any time.
        </Typography.Paragraph>
      )}
      {loadError && <Alert type="error" showIcon role="alert" title={loadError} className="form-alert" />}
      {!situation && !loadError && <Skeleton active paragraph={{ rows: 2 }} />}
      {situation?.preview.is_last_admin && (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          title="This is the organization's only active admin. Make another member an org admin first."
        />
      )}
      {situation && !situation.preview.is_last_admin && leads === 0 && (
        <Typography.Paragraph type="secondary">{member?.name} owns no leads.</Typography.Paragraph>
      )}
      {situation && !situation.preview.is_last_admin && leads > 0 && (
        <>
          {member && (
            <LeadHandOver id="deactivation-receiver" orgId={orgId} member={member} preview={situation.preview}
              assistants={assistants} receiver={receiver} byPolicy={byPolicy} />
          )}
          {destination && <Alert type="info" showIcon className="form-alert deactivation-destination" title={destination} />}
          {gap && <Alert type="warning" showIcon className="form-alert offboarding-gap" title={gap} />}
        </>
      )}
      {receiver.error && <Alert type="error" showIcon role="alert" title={receiver.error} />}
    </Modal>
  );
}

export function ReactivateMemberDialog({ orgId, orgName, member, onClose, onReactivated, afterClose }: {
  orgId: string; orgName: string; member: Member | null; onClose: () => void; onReactivated: (member: Member) => void;
  /** Once it has closed: where the focus goes (it opens from a menu item, gone by then). */
  afterClose?: () => void;
}) {
  const message = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setError(null); }, [member]);
  // Deactivated before he ever joined (no joined_at): reactivating invites
  // him again, with a new one-time password (docs/offboarding.md).
  const invitesAgain = member !== null && member.joined_at === null;
  // The lifetime is the server's setting (ROSTER_INVITE_TTL), not always 24 hours.
  const [lifetime, setLifetime] = useState<number | null>(null);
  useEffect(() => {
    if (!invitesAgain) return;
    let live = true;
    lifecycle.settings(orgId)
      .then((settings) => { if (live && settings.invite_ttl_seconds) setLifetime(settings.invite_ttl_seconds); })
      .catch(() => { /* The sentence then leaves the lifetime to the e-mail. */ });
    return () => { live = false; };
  }, [orgId, invitesAgain]);

  const reactivate = async () => {
    if (!member) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await lifecycle.reactivate(orgId, member.user_id);
      message.success(updated.status === 'active'
        ? `${member.name} is active again.`
        : `${member.name} is invited again; the invitation e-mail is on its way.`);
      onReactivated(updated);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const role = member?.role === 'admin' ? 'an org admin' : 'a user';
  return (
    <Modal
      title="Reactivate member"
      open={member !== null}
      okText={invitesAgain ? 'Reactivate and invite' : 'Reactivate'}
      onOk={() => void reactivate()}
      confirmLoading={busy}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
    >
      {member && !invitesAgain && (
        <Typography.Paragraph>
          Reactivate <strong>{member.name}</strong> ({member.email})? They can sign in to {orgName} again
          as {role}, on the assistants they were on. Their former leads stay with whoever received them, and
          assistant manager rights are not given back.
        </Typography.Paragraph>
      )}
      {member && invitesAgain && (
        <Typography.Paragraph>
          Reactivate <strong>{member.name}</strong> ({member.email})? They never joined {orgName}, so they get a
          new invitation instead: an e-mail with a new one-time password that
          works {lifetime ? `for ${formatDuration(lifetime)}` : 'for a limited time'}. They join as {role} once
          they sign in with it and set a password; their old one-time password stays invalid.
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} />}
    </Modal>
  );
}
