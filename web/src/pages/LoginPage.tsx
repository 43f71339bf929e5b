import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { errorMessage } from '../api/client';
import { SecondFactorForm } from '../features/SecondFactorForm';
import { AuthFrame } from '../components/AuthFrame';
import { useSession } from '../session';

interface Credentials {
  email: string;
  password: string;
}

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { status, me, signIn, signedOut, sessionEnded, newPasswordFor } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [secondFactor, setSecondFactor] = useState(false);

  // The window's title tells this tab from the console's others (WCAG 2.4.2).
  useEffect(() => {
    document.title = `${secondFactor ? 'Two-factor sign-in' : 'Sign in'} · Roster`;
    return () => { document.title = 'Roster'; };
  }, [secondFactor]);

  const next = () => safeNext(params.get('next'));
  if (secondFactor) {
    return <SecondFactorForm onDone={() => navigate(next(), { replace: true })} onCancel={() => setSecondFactor(false)} />;
  }
  if (status === 'signed-in' && me && !submitting) {
    return <Navigate to={me.must_change_password ? '/password' : safeNext(params.get('next'))} replace />;
  }

  const onFinish = async ({ email, password }: Credentials) => {
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const answer = await signIn(email.trim(), password);
      if (answer.mfa_required) {
        setSecondFactor(true);
        return;
      }
      navigate(answer.must_change_password ? '/password' : safeNext(params.get('next')), { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthFrame
      title="Sign in"
      subtitle={<>Use your e-mail and password, or the one-time password from your invitation or password
        reset <span className="no-break">e-mail</span>.</>}
    >
      {newPasswordFor !== null && !error && (
        // After a reset with two-factor on the server opened no session.
        <Alert type="success" showIcon role="status" className="form-alert"
               title="Your new password is set. Sign in with it and a code from your app." />
      )}
      {signedOut && !error && (
        <Alert type="success" showIcon role="status" className="form-alert"
               title="You signed out." description="Sign in again to return to the console." />
      )}
      {sessionEnded !== null && !signedOut && !error && (
        // Instead of a toast gone in seconds: what he did last was not done.
        // Ended before a reload, what he did last is not known here.
        <Alert type="warning" showIcon role="status" className="form-alert"
               title="Your session ended; sign in again."
               description={sessionEnded === 'now'
                 ? 'What you did last was not saved. After you sign in, you return to the page you were on.'
                 : undefined} />
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" className="form-alert" />}
      {/* Not disabled while signing in: a disabled field loses the focus, and
          after a refusal the keyboard started again from the page's top. The
          button's loading state stops a second submit. */}
      <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onFinish}
                         initialValues={{ email: newPasswordFor ?? '' }}>
        <Form.Item
          label="E-mail"
          name="email"
          rules={[{ required: true, message: 'Enter your e-mail address.' },
                  { type: 'email', message: 'Enter a valid e-mail address.' }]}
        >
          <Input type="email" autoComplete="username" autoFocus={!newPasswordFor} size="large" />
        </Form.Item>
        <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password.' }]}>
          <Input.Password autoComplete="current-password" size="large" autoFocus={Boolean(newPasswordFor)} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
          Sign in
        </Button>
        <div className="auth-secondary"><Link to="/forgot-password">Forgot password?</Link></div>
      </Form>
    </AuthFrame>
  );
}
