// Said over the console's pages after a sign-in with a recovery code: how
// many codes are left, and how to get back to signing in with a phone.
import { Link } from 'react-router';
import Alert from 'antd/es/alert';

export function RecoverySignInNotice({ codesLeft, back, onClose }: {
  codesLeft: number | null; back: string; onClose: () => void;
}) {
  const left = codesLeft === null ? '' : ` ${codesLeft === 0 ? 'No' : codesLeft} recovery ${codesLeft === 1 ? 'code is' : 'codes are'} left.`;
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ 'aria-label': 'Close the notice' }}
      onClose={onClose}
      role="status"
      className="recovery-notice"
      title={`You signed in with a recovery code.${left}`}
      description={(
        <>
          Each one works once. Lost your phone? In <Link to="/security" state={{ back }}>Security</Link>, turn
          two-factor sign-in off with your password and another recovery code, then set it up again on your new
          phone; an org admin can also reset it for you. Turning it off and on again gives you ten new codes.
        </>
      )}
    />
  );
}
