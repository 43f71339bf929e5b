// "Forgot password?": asks for a password reset e-mail (SPEC 11). The page
// says the same thing whatever the address, as the server answers the same:
// it never tells whether an account uses an e-mail.
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import { AuthFrame } from '../components/AuthFrame';
import { formatDuration } from '../lib/format';
import { useSession } from '../session';

export default function ForgotPasswordPage() {
  const navigate = useNavigate();
  // "You signed out." (or "Your session ended") was for the moment it
  // happened: back on the sign-in page from here it would be stale.
  const { dismissSignInNotices } = useSession();
  useEffect(() => { dismissSignInNotices(); }, [dismissSignInNotices]);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [lasts, setLasts] = useState(3600);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async ({ email }: { email: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const sent = await roster.requestPasswordReset(email.trim());
      setLasts(sent.expires_in_seconds);
      setSentTo(email.trim());
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  if (sentTo !== null) {
    return (
      <AuthFrame title="Check your e-mail">
        <Alert
          type="success"
          showIcon
          role="status"
          className="form-alert"
          title={<>If an account uses <strong>{sentTo}</strong>, we sent it a one-time password.</>}
          description={`It works for ${formatDuration(lasts)}. Sign in with it instead of your password, then choose a new password. Until you do, your current password keeps working. No e-mail? Check the spam folder, or ask your organization's admin.`}
        />
        <Button type="primary" block size="large" onClick={() => navigate('/login')}>
          Back to sign in
        </Button>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame
      title="Forgot your password?"
      subtitle="Enter the e-mail address you sign in with. We will send it a one-time password that lets you choose a new password."
    >
      {error && <Alert type="error" showIcon title={error} role="alert" className="form-alert" />}
      <Form<{ email: string }> layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
        <Form.Item
          label="E-mail"
          name="email"
          rules={[{ required: true, message: 'Enter your e-mail address.' },
                  { type: 'email', message: 'Enter a valid e-mail address.' }]}
        >
          <Input type="email" autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
          Send password reset
        </Button>
        <div className="auth-secondary">
          <Link to="/login">Back to sign in</Link>
        </div>
      </Form>
    </AuthFrame>
  );
}
