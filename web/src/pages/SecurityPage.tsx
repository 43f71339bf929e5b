// "Security": the signed-in person's two-factor sign-in. Set up (a QR code
// drawn in the browser, and the secret as text), confirm with a code, keep
// the ten recovery codes (shown once), or turn it off. Also where a person is
// sent when an organization requires two-factor and he has none: from there
// his other organizations stay open, and he can sign out.
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { ApiError, errorMessage } from '../api/client';
import { twoFactor } from '../api/twoFactor';
import type { TotpSetup, TotpStatus } from '../api/twoFactor';
import { AuthFrame } from '../components/AuthFrame';
import { CopyButton } from '../components/CopyButton';
import { useSession } from '../session';
import { useToast } from '../toast';

// 'password': the sign-in is not recent, so setting up takes the password
// (a stolen session must not bind someone else's authenticator).
type Step = { kind: 'loading' } | { kind: 'off' } | { kind: 'password' } | { kind: 'setup'; setup: TotpSetup }
  | { kind: 'codes'; codes: string[] } | { kind: 'on'; status: TotpStatus };

/** The QR code of an otpauth:// URI, drawn here; the QR library is loaded
 *  only when this page needs it. */
function QrCode({ uri }: { uri: string }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((QRCode) => QRCode.toDataURL(uri, { margin: 1, width: 200 }))
      .then((url) => { if (live) setImage(url); });
    return () => { live = false; };
  }, [uri]);
  return image
    ? <img src={image} width={200} height={200} className="totp-qr" alt="QR code to scan with your authenticator app" />
    : <div className="totp-qr" role="status">Drawing the QR code…</div>;
}

/** "Key:" and the base32 key in groups of four for typing; each group is
 *  its own element, spaced by CSS, so a copy of the key is one run the apps
 *  accept. The key's lines start beside the label, never under it, and break
 *  only between groups. "Copy key" puts the run on the clipboard, as a new
 *  API key's Copy does. */
function TotpKey({ secret }: { secret: string }) {
  const groups = secret.match(/.{1,4}/g) ?? [];
  return (
    <Typography.Paragraph>
      <div className="totp-key">
        <span className="totp-key-label">Key:</span>
        <code id="totp-secret" className="totp-secret" data-testid="totp-secret">
          {groups.map((group, index) => <span key={index}>{group}</span>)}
        </code>
      </div>
      <div className="totp-copy">
        <CopyButton
          text={secret}
          shownIn="totp-secret"
          copiedMessage="Key copied."
          selectedMessage="The key is selected"
          label="Copy key"
        />
      </div>
    </Typography.Paragraph>
  );
}

/** "YYYY-MM-DD" of today, where the person is. */
function today(): string {
  const day = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The downloaded (and perhaps printed) file: which service and account
 *  the codes belong to, from when, and how they work, then the codes. */
function recoveryCodesFile(codes: string[], email: string, address: string, day: string): string {
  return [
    'Roster: two-factor sign-in recovery codes',
    '',
    `Account: ${email}`,
    `Sign in at: ${address}`,
    `Made on: ${day}`,
    '',
    'Each code works once, in place of a code from your authenticator app.',
    'Turning two-factor sign-in off and on again makes ten new ones.',
    'Keep them somewhere safe, away from your phone.',
    '',
    ...codes,
    '',
  ].join('\n');
}

function RecoveryCodes({ codes, email, onDone }: { codes: string[]; email: string; onDone: () => void }) {
  // The code field that had the focus is gone: the focus goes to the codes,
  // which a screen reader then reads as the list of ten.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => { list.current?.focus(); }, []);
  const download = () => {
    const link = document.createElement('a');
    const file = recoveryCodesFile(codes, email, window.location.origin, today());
    link.href = URL.createObjectURL(new Blob([file], { type: 'text/plain;charset=utf-8' }));
    link.download = 'roster-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <Alert type="success" showIcon role="status" title="Two-factor sign-in is on." className="form-alert" />
      <Typography.Paragraph>
        Keep these recovery codes somewhere safe, away from your phone. Each one signs you in once
        in place of a code. They are shown only now.
      </Typography.Paragraph>
      <ol id="recovery-codes" ref={list} tabIndex={-1} className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ol>
      <Space wrap>
        <CopyButton
          text={codes.join('\n') + '\n'}
          shownIn="recovery-codes"
          copiedMessage="The recovery codes are copied."
          selectedMessage="The codes are selected"
        />
        <Button onClick={download}>Download</Button>
        <Button type="primary" onClick={onDone}>I have saved them</Button>
      </Space>
    </>
  );
}

export default function SecurityPage() {
  const { me, refresh, signOut, mfaRequiredOrgs, mfaSetUp } = useSession();
  const message = useToast();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  // Where "Back to Roster" goes: the page that sent him here, if it said.
  const back = typeof (location.state as { back?: unknown } | null)?.back === 'string'
    ? (location.state as { back: string }).back : '/';
  const required = mfaRequiredOrgs.length > 0 || params.get('required') === '1';
  // Which of his organizations asked for it, and which may still be open.
  const requiring = me?.memberships.filter((item) => mfaRequiredOrgs.includes(item.org.id)) ?? [];
  const others = me?.memberships.filter((item) => !mfaRequiredOrgs.includes(item.org.id)) ?? [];
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // After "I have saved them" the codes and their buttons are gone: the
  // focus goes to what the page says now, not to the body.
  const [focusStatus, setFocusStatus] = useState(false);
  const status = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focusStatus || step.kind !== 'on') return;
    status.current?.focus();
    setFocusStatus(false);
  }, [focusStatus, step.kind]);
  useEffect(() => {
    document.title = 'Security · Roster';
    return () => { document.title = 'Roster'; };
  }, []);
  // Before turning it off: the organizations that require it. Known only
  // where he is an admin (the settings are admins'); anywhere else it may be.
  const [requirers, setRequirers] = useState<{ names: string[]; unknown: boolean } | null>(null);
  useEffect(() => {
    if (step.kind !== 'on' || !me) return;
    let live = true;
    void Promise.all(me.memberships.map(async (item) => {
      if (item.role !== 'admin') return 'unknown';
      try {
        return (await twoFactor.settings(item.org.id)).require_mfa ? item.org.name : null;
      } catch {
        return 'unknown';
      }
    })).then((answers) => {
      if (!live) return;
      const names = me.memberships.filter((_, index) => answers[index] !== null && answers[index] !== 'unknown')
        .map((item) => item.org.name);
      setRequirers({ names, unknown: answers.includes('unknown') });
    });
    return () => { live = false; };
  }, [step.kind, me]);

  const load = async () => {
    try {
      const status = await twoFactor.status();
      if (status.enabled) mfaSetUp();
      setStep(status.enabled ? { kind: 'on', status } : { kind: 'off' });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  useEffect(() => { void load(); }, []);

  const run = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const start = () => run(async () => {
    try {
      setStep({ kind: 'setup', setup: await twoFactor.setUp() });
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.code === 'password_required')) throw caught;
      setStep({ kind: 'password' });
    }
  });
  const startWithPassword = ({ password }: { password: string }) => run(async () =>
    setStep({ kind: 'setup', setup: await twoFactor.setUp(password) }));
  const confirm = ({ code }: { code: string }) => run(async () => {
    const { recovery_codes } = await twoFactor.confirm(code.trim());
    setStep({ kind: 'codes', codes: recovery_codes });
    mfaSetUp();
  });
  const leave = async () => {
    try {
      await signOut();
    } catch (caught) {
      message.error(errorMessage(caught));
    }
    navigate('/login');
  };
  const finish = async () => {
    await refresh();
    if (required) navigate('/', { replace: true });
    else {
      await load();
      setFocusStatus(true);
    }
  };
  const turnOff = ({ password, code }: { password: string; code: string }) => run(async () => {
    // Six digits (a space in the middle, as apps show them) are the app's;
    // anything else is a recovery code.
    const typed = code.trim();
    await twoFactor.turnOff(password, /^\d{3} ?\d{3}$/.test(typed) ? { code: typed } : { recovery_code: typed });
    message.success('Two-factor sign-in is off.');
    setStep({ kind: 'off' });
  });

  return (
    <AuthFrame
      title="Security"
      subtitle="Two-factor sign-in: after your password, a 6-digit code from an authenticator app on your phone."
    >
      {required && step.kind !== 'on' && step.kind !== 'codes' && (
        <Alert type="warning" showIcon className="form-alert"
               title={requiring.length > 0
                 ? `${requiring.map((item) => item.org.name).join(', ')} ${requiring.length > 1 ? 'require' : 'requires'} two-factor sign-in. Set it up to continue there.`
                 : 'An organization you belong to requires two-factor sign-in. Set it up to continue.'} />
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" className="form-alert" />}
      {/* The forms are not disabled while a request runs: a disabled field
          loses the focus, and after a wrong code the keyboard started again
          from the page's top (the sign-in page's code step keeps it). The
          buttons' loading state, and run(), stop a second submit. */}
      {step.kind === 'loading' && <div role="status">Loading…</div>}
      {step.kind === 'off' && (
        <>
          <Typography.Paragraph>Two-factor sign-in is off.</Typography.Paragraph>
          <Button type="primary" onClick={() => void start()} loading={busy}>Set up two-factor sign-in</Button>
        </>
      )}
      {step.kind === 'password' && (
        <Form<{ password: string }> layout="vertical" requiredMark={false} onFinish={startWithPassword}>
          <Typography.Paragraph>
            You signed in a while ago: enter your password to set up two-factor sign-in.
          </Typography.Paragraph>
          <input type="text" name="username" autoComplete="username" value={me?.user.email ?? ''} readOnly hidden />
          <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password.' }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>Continue</Button>
        </Form>
      )}
      {step.kind === 'setup' && (
        <>
          <Typography.Paragraph>
            Scan this QR code with your authenticator app, or type the key below into it.
          </Typography.Paragraph>
          <QrCode uri={step.setup.otpauth_uri} />
          <TotpKey secret={step.setup.secret} />
          <Form<{ code: string }> layout="vertical" requiredMark={false} onFinish={confirm}>
            <Form.Item label="Code from the app" name="code"
                       rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: 'Enter the 6-digit code.' }]}>
              {/* The key is shown: the next thing to do is type the app's code. */}
              <Input inputMode="numeric" autoComplete="one-time-code" size="large" maxLength={7} autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>Confirm</Button>
          </Form>
        </>
      )}
      {step.kind === 'codes' && <RecoveryCodes codes={step.codes} email={me?.user.email ?? ''} onDone={() => void finish()} />}
      {step.kind === 'on' && (
        <>
          {/* Page text, not news: role=alert had it announced on every visit. */}
          <div ref={status} tabIndex={-1} className="security-status">
            <Alert type="success" showIcon role="note" className="form-alert"
                   title={`Two-factor sign-in is on. ${step.status.recovery_codes_left} recovery codes left.`} />
          </div>
          <Typography.Title level={2} className="security-subtitle">Turn off two-factor sign-in</Typography.Title>
          {requirers && (requirers.names.length > 0 || requirers.unknown) && (
            <Alert type="warning" showIcon role="note" className="form-alert" data-testid="turn-off-warning"
                   title={requirers.names.length > 0
                     ? `${requirers.names.join(', ')} ${requirers.names.length > 1 ? 'require' : 'requires'} two-factor sign-in: turn it off and you will have to set it up again before you can use ${requirers.names.length > 1 ? 'them' : 'it'}.`
                     : 'An organization that requires two-factor sign-in will ask you to set it up again before you can use it.'} />
          )}
          <Form<{ password: string; code: string }> layout="vertical" requiredMark={false} onFinish={turnOff}>
            <input type="text" name="username" autoComplete="username" value={me?.user.email ?? ''} readOnly hidden />
            <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password.' }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item label="Code from the app, or a recovery code" name="code"
                       extra="Lost your phone? One of your recovery codes works here too."
                       rules={[{ required: true, message: 'Enter the 6-digit code or a recovery code.' }]}>
              <Input autoComplete="one-time-code" maxLength={64} />
            </Form.Item>
            <Button danger htmlType="submit" loading={busy}>Turn off</Button>
          </Form>
        </>
      )}
      {!(required && step.kind !== 'on') && (
        <Typography.Paragraph className="security-back"><Link to={back}>Back to Roster</Link></Typography.Paragraph>
      )}
      {required && step.kind !== 'on' && step.kind !== 'codes' && (
        // Not a dead end: what does not require it stays open, and he can leave.
        <div className="security-elsewhere">
          {others.length > 0 && (
            <Typography.Paragraph>
              Not now? Your other {others.length > 1 ? 'organizations do' : 'organization does'} not
              ask for it:{' '}
              {others.map((item, index) => (
                <span key={item.org.id}>
                  {index > 0 && ', '}
                  <Link to={`/orgs/${item.org.id}/users`}>{item.org.name}</Link>
                </span>
              ))}
            </Typography.Paragraph>
          )}
          <Button onClick={() => void leave()}>Sign out</Button>
        </div>
      )}
    </AuthFrame>
  );
}
