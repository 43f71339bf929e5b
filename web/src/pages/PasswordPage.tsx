// "Set a new password": where a one-time-password session is sent, and where
// anyone may change his password. Shows the server's policy reasons (422).
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import { AuthFrame } from '../components/AuthFrame';
import { useSession } from '../session';
import { useToast } from '../toast';

interface Fields {
  current_password?: string;
  new_password: string;
  confirm: string;
}

export default function PasswordPage() {
  const { me, passwordSet, signOut, oneTimePassword } = useSession();
  const message = useToast();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const [error, setError] = useState<string | null>(null);
  const [reasons, setReasons] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [askCurrent, setAskCurrent] = useState(() => !oneTimePassword.current);
  const forced = Boolean(me?.must_change_password);
  // An invitation's memberships wait for his first password; a reset's
  // account has none waiting (GET /me's status of each).
  const invited = Boolean(me?.memberships.some((item) => item.status === 'invited'));
  const title = forced ? 'Set a new password' : 'Change your password';
  useEffect(() => {
    document.title = `${title} · Roster`;
    return () => { document.title = 'Roster'; };
  }, [title]);

  const onFinish = async (fields: Fields) => {
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    setReasons([]);
    try {
      const current = askCurrent ? fields.current_password ?? '' : oneTimePassword.current ?? '';
      await roster.changePassword(current, fields.new_password);
      // After a password reset of an account with two-factor on, no session
      // is open: the person signs in again with the new password and a code
      // (the sign-in page says so, with his e-mail filled in).
      const signedIn = await passwordSet();
      if (!signedIn) {
        navigate('/login', { replace: true });
        return;
      }
      message.success('Your new password is set.');
      navigate('/', { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422) {
        const currentWrong = caught.errors.some((item) => item.field === 'current_password');
        if (currentWrong) setAskCurrent(true);
        // The server says "current password" for every account; here the
        // field is the one-time password of the invitation or reset.
        const messages = caught.errors.map((item) => (forced && item.field === 'current_password'
          ? 'The one-time password is not correct.'
          : item.message));
        setError(messages.length > 1 ? 'Please choose a different password:' : messages[0] ?? caught.message);
        setReasons(messages.length > 1 ? messages : []);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthFrame
      title={title}
      subtitle={forced && invited
        ? <>Welcome, {me?.user.name}. Choose the password you will use from now on: 15 to 128 characters, hard to guess, and not containing your name, e-mail or organization.</>
        : <>Choose a new password: 15 to 128 characters, hard to guess, and not containing your name, e-mail or organization.</>}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="form-alert"
          title={error}
          description={reasons.length > 0 && (
            <ul className="reason-list" aria-label="Why the password was refused">
              {reasons.map((reason) => <li key={reason}>{reason}</li>)}
            </ul>
          )}
        />
      )}
      {/* A new attempt refused in the browser ends the server's refusal of the
          last one: both on screen read as two problems at once. Not disabled
          while it is sent: a disabled field loses the focus, and after a
          refusal the keyboard started again from the page's top. */}
      <Form<Fields> form={form} layout="vertical" requiredMark={false} onFinish={onFinish}
                    onFinishFailed={() => { setError(null); setReasons([]); }}>
        <input type="text" name="username" autoComplete="username" value={me?.user.email ?? ''} readOnly hidden />
        {askCurrent && (
          <Form.Item
            label={forced ? 'One-time password' : 'Current password'}
            name="current_password"
            rules={[{ required: true, message: 'Enter your current password.' }]}
          >
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
        )}
        <Form.Item
          label="New password"
          name="new_password"
          rules={[{ required: true, message: 'Enter a new password.' }]}
        >
          <Input.Password autoComplete="new-password" autoFocus={!askCurrent} />
        </Form.Item>
        <Form.Item
          label="Repeat the new password"
          name="confirm"
          dependencies={['new_password']}
          rules={[{ required: true, message: 'Repeat the new password.' },
                  ({ getFieldValue }) => ({
                    validator: (_, value) => (!value || getFieldValue('new_password') === value
                      ? Promise.resolve()
                      : Promise.reject(new Error('The two passwords differ.'))),
                  })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
          Set password
        </Button>
        <div className="auth-secondary">
          {forced
            ? <Button type="link" onClick={() => void signOut().then(() => navigate('/login'))}>Sign out</Button>
            : <Button type="link" onClick={() => navigate(-1)}>Cancel</Button>}
        </div>
      </Form>
    </AuthFrame>
  );
}
