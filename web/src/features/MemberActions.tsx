// A member row's "Action" menu for admins: change role (confirm "Yes"),
// resend invite, send an active member a password reset (confirmed),
// reset two-factor (confirm "Yes"), deactivate or reactivate, remove (for an
// invited member: revoke the invitation). The last active admin's items are
// disabled, and so is "Reset two-factor" on one's own row (the server
// refuses it: one turns his own off on Security). The reason is a line of
// text at the menu's end (a touch screen has no hover), and a tooltip too.
import { useRef, useState } from 'react';
import Tooltip from 'antd/es/tooltip';
import { ApiError, errorMessage } from '../api/client';
import { RowActions } from '../components/RowActions';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { roster } from '../api/roster';
import { twoFactor } from '../api/twoFactor';
import type { Member } from '../api/types';
import { useOrg } from '../lib/org';
import { useToast } from '../toast';

const LAST_ADMIN = 'The organization needs at least one active admin. Make another member an org admin first.';
const OWN_TWO_FACTOR = 'To reset your own two-factor sign-in, turn it off on the Security page, with your password and a code, and set it up again.';

export function MemberActions({ orgId, member, isLastAdmin, onChanged, onStale, onRemove, onDeactivate, onReactivate }: {
  orgId: string;
  member: Member;
  isLastAdmin: boolean;
  onChanged: (member: Member) => void;
  /** A change was refused with 409: the list is older than the server's state. */
  onStale?: () => void;
  /** `opener` is the row's Action button, for the dialog to give the focus
   *  back to: the menu item it opens from is gone by the time it closes. */
  onRemove: (member: Member, opener: HTMLElement | null) => void;
  onDeactivate?: (member: Member, opener: HTMLElement | null) => void;
  onReactivate?: (member: Member, opener: HTMLElement | null) => void;
}) {
  const message = useToast();
  const { orgName, userId } = useOrg();
  const [confirming, setConfirming] = useState<null | 'role' | 'reset' | 'mfa'>(null);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const makeAdmin = member.role !== 'admin';
  const confirmId = `confirm-role-${member.user_id}`;
  useFocusWhenOpen(confirming !== null, confirmId);
  const canResend = member.status === 'invited' || member.status === 'invite_expired';
  const own = member.user_id === userId;

  // A confirmed change: the call, its toast, and the menu's focus back.
  const confirmed = async (change: () => Promise<string>) => {
    setBusy(true);
    try {
      message.success(await change());
    } catch (error) {
      message.error(errorMessage(error));
      // The refusal (the last admin…) speaks of rows the list may show otherwise.
      if (error instanceof ApiError && error.status === 409) onStale?.();
    } finally {
      setBusy(false);
      setConfirming(null);
      button.current?.focus();
    }
  };

  const changeRole = () => confirmed(async () => {
    onChanged(await roster.changeRole(orgId, member.user_id, makeAdmin ? 'admin' : 'user'));
    return makeAdmin ? `${member.name} is now an org admin.` : `${member.name} is no longer an org admin.`;
  });

  const sendReset = () => confirmed(async () => {
    await roster.sendPasswordReset(orgId, member.user_id);
    return `A password reset was sent to ${member.email}.`;
  });

  const resetMfa = () => confirmed(async () => {
    await twoFactor.resetMember(orgId, member.user_id);
    onChanged({ ...member, mfa: false });
    return `${member.name}'s two-factor sign-in is reset.`;
  });

  const resend = async () => {
    setBusy(true);
    // The menu item chosen is gone: without this the focus fell to the body.
    // The button spins while busy but stays focusable, and the row keeps it.
    button.current?.focus();
    try {
      const updated = await roster.resendInvite(orgId, member.user_id);
      message.success(`Invitation resent to ${member.email}.`);
      onChanged(updated);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const blocked = (label: string, why: string | null = isLastAdmin ? LAST_ADMIN : null) => (why
    ? <Tooltip title={why} placement="left"><span>{label}</span></Tooltip>
    : label);

  const items = [
    { key: 'role', label: blocked(makeAdmin ? 'Make org admin' : 'Remove org admin rights'), disabled: isLastAdmin && !makeAdmin,
      title: isLastAdmin && !makeAdmin ? LAST_ADMIN : undefined },
    ...(canResend ? [{ key: 'resend', label: 'Resend invite' }] : []),
    ...(member.status === 'active' ? [{ key: 'reset', label: 'Send password reset' }] : []),
    ...(member.status === 'active' && onDeactivate
      ? [{ key: 'deactivate', label: blocked('Deactivate'), disabled: isLastAdmin, title: isLastAdmin ? LAST_ADMIN : undefined }]
      : []),
    ...(member.status === 'deactivated' && onReactivate ? [{ key: 'reactivate', label: 'Reactivate' }] : []),
    ...(member.mfa ? [{ key: 'mfa', label: blocked('Reset two-factor', own ? OWN_TWO_FACTOR : null), disabled: own,
      title: own ? OWN_TWO_FACTOR : undefined }] : []),
    { type: 'divider' as const },
    { key: 'remove', label: blocked(canResend ? 'Revoke invitation' : 'Remove from organization'), danger: !isLastAdmin, disabled: isLastAdmin,
      title: isLastAdmin ? LAST_ADMIN : undefined },
    // Why items are disabled, in words under them: the tooltips need a hover.
    ...[isLastAdmin && LAST_ADMIN, own && member.mfa && OWN_TWO_FACTOR]
      .filter((why): why is string => Boolean(why))
      .map((why) => ({ key: `why-${why.slice(0, 12)}`, label: why, disabled: true, className: 'menu-reason' })),
  ];

  return (
    <RowActions
      name={member.name}
      busy={busy}
      buttonRef={button}
      items={items}
      onSelect={(key) => {
        if (key === 'role') setConfirming('role');
        if (key === 'reset') setConfirming('reset');
        if (key === 'mfa') setConfirming('mfa');
        if (key === 'resend') void resend();
        if (key === 'remove') onRemove(member, button.current);
        if (key === 'deactivate') onDeactivate?.(member, button.current);
        if (key === 'reactivate') onReactivate?.(member, button.current);
      }}
      confirm={confirming === 'reset' ? {
        title: `Send ${member.name} a password reset?`,
        description: `${member.email} gets a one-time password that works for an hour. Their current password keeps working until they choose a new one.`,
        okText: 'Send',
        cancelText: 'No',
        okButtonProps: { loading: busy, id: confirmId },
        onConfirm: () => void sendReset(),
      } : confirming === 'mfa' ? {
        title: `Reset ${member.name}'s two-factor sign-in?`,
        description: 'Their authenticator and recovery codes stop working; they sign in with the password and set it up again.',
        okText: 'Yes',
        cancelText: 'No',
        okButtonProps: { loading: busy, id: confirmId },
        onConfirm: () => void resetMfa(),
      } : confirming === 'role' ? {
        title: makeAdmin ? `Make ${member.name} an org admin?` : `Remove ${member.name}'s org admin rights?`,
        description: makeAdmin
          ? `${member.name} will invite, remove and change the role of members of ${orgName}, and see every lead.`
          : `${member.name} stays in ${orgName} as a user, sees only their own leads and those of the assistants they manage, from now on.`,
        okText: 'Yes',
        cancelText: 'No',
        okButtonProps: { loading: busy, id: confirmId },
        onConfirm: () => void changeRole(),
      } : null}
      onConfirmClosed={() => setConfirming(null)}
    />
  );
}
