// What the console shows at /orgs/{org}/… for an organization the signed-in
// user is not (or no longer) an active member of: after a removal or a
// deactivation (seen in this tab, before or after a reload), the
// organization's name with a way to another organization and to sign out;
// otherwise "Organization not found". GET /me lists active memberships only:
// a deactivated member looks like one who never was a member, so the words
// hold for both (he may still be a deactivated member of this organization,
// or of others).
import { Link, useNavigate } from 'react-router';
import Button from 'antd/es/button';
import Result from 'antd/es/result';
import type { Me } from '../api/types';

export function NoAccess({ me, orgId, formerName, onSignOut }: {
  me: Me; orgId: string; formerName: string | undefined; onSignOut: () => void;
}) {
  const navigate = useNavigate();
  const others = me.memberships.filter((item) => item.org.id !== orgId);
  if (formerName === undefined) {
    // With no other organization there is nowhere to go but out.
    return (
      <Result
        status="404"
        title="Organization not found"
        subTitle={others.length > 0
          ? 'It does not exist, or you are not one of its active members.'
          : 'It does not exist, or you are not one of its active members, and you have no active organization. '
            + 'If an admin deactivated you, ask them to reactivate you; otherwise ask an organization\'s admin to invite you.'}
        extra={others.length > 0
          ? <Link to="/">Go to your organization</Link>
          : <Button onClick={onSignOut}>Sign out</Button>}
      />
    );
  }
  return (
    <main className="no-access">
      <Result
        status="403"
        title={<h1 className="no-access-title">You no longer have access to {formerName}</h1>}
        subTitle={others.length > 0
          ? `An admin of ${formerName} removed or deactivated you. Your other organizations are still yours.`
          : `An admin of ${formerName} removed or deactivated you, and you have no other active organization.`}
        extra={(
          <div className="no-access-actions">
            {others.map((item) => (
              <Button key={item.org.id} type="primary" onClick={() => navigate(`/orgs/${item.org.id}/users`)}>
                Switch to {item.org.name}
              </Button>
            ))}
            <Button onClick={onSignOut}>Sign out</Button>
          </div>
        )}
      />
    </main>
  );
}
