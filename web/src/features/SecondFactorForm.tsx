// The second step of sign-in (docs/two-factor.md): after a correct password,
// a code from the authenticator app, or one of the recovery codes.
import { useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import { twoFactor } from '../api/twoFactor';
import { AuthFrame } from '../components/AuthFrame';
import { useSession } from '../session';

export function SecondFactorForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { refresh, noteRecoverySignIn } = useSession();
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<{ code: string }>();

  const onFinish = async ({ code }: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      await twoFactor.completeSignIn(recovery ? { recovery_code: code.trim() } : { code: code.trim() });
      if (recovery) {
        // The console then says how many are left and what to do about the phone.
        const status = await twoFactor.status().catch(() => null);
        noteRecoverySignIn({ codesLeft: status?.recovery_codes_left ?? null });
      }
      await refresh();
      onDone();
    } catch (caught) {
      // The server's words ("Enter the current code") suit the app's codes,
      // which change every 30 seconds; a recovery code works once.
      setError(recovery && caught instanceof ApiError && caught.code === 'invalid_code'
        ? 'This recovery code is not correct or was already used: each one works once. Enter another of your codes.'
        : errorMessage(caught));
      form.resetFields();
    } finally {
      setSubmitting(false);
    }
  };

  const cancel = async () => {
    await roster.logout().catch(() => undefined);  // ends the half-finished sign-in
    onCancel();
  };

  return (
    <AuthFrame
      title="Two-factor sign-in"
      subtitle={recovery
        ? 'Enter one of your recovery codes. Each one works once.'
        : 'Enter the 6-digit code from your authenticator app.'}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" className="form-alert" />}
      <Form<{ code: string }> form={form} layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
        <Form.Item
          key={recovery ? 'recovery' : 'code'}
          label={recovery ? 'Recovery code' : 'Code'}
          name="code"
          rules={[{ required: true, message: recovery ? 'Enter a recovery code.' : 'Enter the 6-digit code.' }]}
        >
          <Input
            autoFocus
            size="large"
            autoComplete={recovery ? 'off' : 'one-time-code'}
            inputMode={recovery ? 'text' : 'numeric'}
            maxLength={recovery ? 64 : 7}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>Verify</Button>
      </Form>
      <div className="auth-secondary">
        <Button type="link" onClick={() => { setRecovery(!recovery); setError(null); form.resetFields(); }}>
          {recovery ? 'Use a code from the app' : 'Use a recovery code'}
        </Button>
        <Button type="link" onClick={() => void cancel()}>Cancel</Button>
      </div>
    </AuthFrame>
  );
}
