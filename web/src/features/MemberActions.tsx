// A member row's "Action" menu for admins: change role (confirm "Yes"),
// resend invite, reset two-factor (confirm "Yes"), remove. The last active admin's items are disabled, with
// the reason as a tooltip.
import { useRef, useState } from 'react';
import Tooltip from 'antd/es/tooltip';
import { errorMessage } from '../api/client';
import { RowActions } from '../components/RowActions';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { roster } from '../api/roster';
import { twoFactor } from '../api/twoFactor';
import type { Member } from '../api/types';
import { useToast } from '../toast';

const LAST_ADMIN = 'The organization needs at least one active admin. Make another member an org admin first.';

export function MemberActions({ orgId, member, isLastAdmin, onChanged, onRemove }: {
  orgId: string;
  member: Member;
  isLastAdmin: boolean;
  onChanged: (member: Member) => void;
  onRemove: (member: Member) => void;
}) {
  const message = useToast();
  const [confirming, setConfirming] = useState<false | 'role' | 'mfa'>(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const makeAdmin = member.role !== 'admin';
  const confirmId = `confirm-role-${member.user_id}`;
  useFocusWhenOpen(confirming !== false, confirmId);
  const canResend = member.status === 'invited' || member.status === 'invite_expired';

  const changeRole = async () => {
    setBusy(true);
    try {
      const updated = await roster.changeRole(orgId, member.user_id, makeAdmin ? 'admin' : 'user');
      message.success(makeAdmin ? `${member.name} is now an org admin.` : `${member.name} is now a user.`);
      onChanged(updated);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
      setConfirming(false);
      button.current?.focus();
    }
  };

  const resetMfa = async () => {
    setBusy(true);
    try {
      await twoFactor.resetMember(orgId, member.user_id);
      message.success(`${member.name}'s two-factor sign-in is reset.`);
      onChanged({ ...member, mfa: false });
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
      setConfirming(false);
      button.current?.focus();
    }
  };

  const resend = async () => {
    setBusy(true);
    try {
      const updated = await roster.resendInvite(orgId, member.user_id);
      message.success(`A new invitation was sent to ${member.email}.`);
      onChanged(updated);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const blocked = (label: string) => (isLastAdmin
    ? <Tooltip title={LAST_ADMIN} placement="left"><span>{label}</span></Tooltip>
    : label);

  const items = [
    { key: 'role', label: blocked(makeAdmin ? 'Make org admin' : 'Make user'), disabled: isLastAdmin && !makeAdmin,
      title: isLastAdmin && !makeAdmin ? LAST_ADMIN : undefined },
    ...(canResend ? [{ key: 'resend', label: 'Resend invite' }] : []),
    ...(member.mfa ? [{ key: 'mfa', label: 'Reset two-factor' }] : []),
    { type: 'divider' as const },
    { key: 'remove', label: blocked('Remove from organization'), danger: !isLastAdmin, disabled: isLastAdmin,
      title: isLastAdmin ? LAST_ADMIN : undefined },
  ];

  return (
    <RowActions
      name={member.name}
      busy={busy}
      buttonRef={button}
      items={items}
      onSelect={(key) => {
        if (key === 'role') setConfirming('role');
        if (key === 'mfa') setConfirming('mfa');
        if (key === 'resend') void resend();
        if (key === 'remove') onRemove(member);
      }}
      confirm={confirming === 'mfa' ? {
        title: `Reset ${member.name}'s two-factor sign-in?`,
        description: 'Their authenticator and recovery codes stop working; they sign in with the password and set it up again.',
        okText: 'Yes',
        cancelText: 'No',
        okButtonProps: { loading: busy, id: confirmId },
        onConfirm: () => void resetMfa(),
      } : confirming ? {
        title: makeAdmin ? `Make ${member.name} an org admin?` : `Make ${member.name} a user?`,
        description: makeAdmin
          ? 'Org admins can invite, remove and change the role of members, and see every lead.'
          : 'They lose admin rights at once.',
        okText: 'Yes',
        cancelText: 'No',
        okButtonProps: { loading: busy, id: confirmId },
        onConfirm: () => void changeRole(),
      } : null}
      onConfirmClosed={() => setConfirming(false)}
    />
  );
}
