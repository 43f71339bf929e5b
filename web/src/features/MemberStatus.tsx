import { useEffect, useState } from 'react';
import { TableTag } from '../components/TableStyles';
import type { Member } from '../api/types';
import { formatDateTime, timeLeft } from '../lib/format';

/**
 * The mail server refused the invitation's e-mail for good: its one-time
 * password never arrived, and only a resend (to a corrected address, after
 * removing and inviting again) brings one.
 */
function Undelivered({ member }: { member: Member }) {
  if (!member.invite_undelivered) return null;
  return (
    <div>
      <TableTag color="volcano" title="The invitation e-mail was not delivered: check the address, then Resend invite.">
        Not delivered
      </TableTag>
      <div className="cell-secondary">{member.invite_undelivered}</div>
    </div>
  );
}

/** The time now, again every `periodMs`: for a countdown that stays true on an open page. */
function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

/** "Active"; "Invited · 23 h 59 min left"; "Invite expired"; "Deactivated". */
export function MemberStatus({ member }: { member: Member }) {
  if (member.status === 'active') return <TableTag color="green">Active</TableTag>;
  if (member.status === 'deactivated') return <TableTag>Deactivated</TableTag>;
  return <InvitationStatus member={member} />;
}

/** An invitation's status, counted down each half minute: "1 min left" stayed
 *  on screen after the invitation had expired, until a reload. The time
 *  left is counted from the moment of drawing, not from the last half-minute
 *  tick: after a resend the new expiry, measured from a tick up to 30 s old,
 *  read "1 d 0 h left" where a reload read "23 h 59 min left". */
function InvitationStatus({ member }: { member: Member }) {
  useNow(30_000); // draws it again each half minute
  const left = timeLeft(member.invite_expires_at, Date.now());
  if (member.status === 'invite_expired' || (member.invite_expires_at && left === null)) {
    return (
      <span>
        <TableTag color="volcano">Invite expired</TableTag>
        {member.invite_expires_at && (
          <div className="cell-secondary">Expired {formatDateTime(member.invite_expires_at)}</div>
        )}
        <Undelivered member={member} />
      </span>
    );
  }
  return (
    <span>
      <TableTag color="blue">Invited</TableTag>
      {member.invite_expires_at && (
        <div className="cell-secondary" title={`Expires ${formatDateTime(member.invite_expires_at)}`}>{left}</div>
      )}
      <Undelivered member={member} />
    </span>
  );
}

export function RoleTag({ role }: { role: Member['role'] }) {
  return role === 'admin' ? <TableTag color="geekblue">Org admin</TableTag> : <TableTag>User</TableTag>;
}
