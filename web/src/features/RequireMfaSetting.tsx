// The organization's "Require two-factor" switch (docs/two-factor.md). An
// admin must have two-factor on himself to turn it on; the server says so
// (409 mfa_setup_required): the card stays and links to the Security page,
// whose "Back to Roster" returns here.
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import Alert from 'antd/es/alert';
import Switch from 'antd/es/switch';
import Typography from 'antd/es/typography';
import { ApiError, errorMessage } from '../api/client';
import { twoFactor } from '../api/twoFactor';
import { useToast } from '../toast';

export function RequireMfaSetting({ orgId }: { orgId: string }) {
  const message = useToast();
  const location = useLocation();
  const [required, setRequired] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; needsSetup: boolean } | null>(null);

  useEffect(() => {
    twoFactor.settings(orgId)
      .then((settings) => setRequired(settings.require_mfa))
      .catch((caught) => setError({ text: errorMessage(caught), needsSetup: false }));
  }, [orgId]);

  const change = async (next: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const settings = await twoFactor.setRequireMfa(orgId, next);
      setRequired(settings.require_mfa);
      message.success(settings.require_mfa
        ? 'Two-factor sign-in is now required in this organization.'
        : 'Two-factor sign-in is no longer required.');
    } catch (caught) {
      setError({ text: errorMessage(caught), needsSetup: caught instanceof ApiError && caught.code === 'mfa_setup_required' });
    } finally {
      setBusy(false);
    }
  };

  return (
    // The card around it carries the title (require-mfa-title).
    <section aria-labelledby="require-mfa-title" className="settings-section">
      {error && (
        <Alert type="error" showIcon role="alert" className="form-alert" title={error.text}
               description={error.needsSetup && (
                 // The Security page's "Back to Roster" comes back here.
                 <Link to="/security" state={{ back: location.pathname }}>Set up two-factor sign-in</Link>
               )} />
      )}
      <div className="settings-row">
        <Switch
          id="require-mfa"
          checked={required ?? false}
          loading={busy || required === null}
          disabled={required === null}
          onChange={(next) => void change(next)}
        />
        <label htmlFor="require-mfa">Require two-factor</label>
      </div>
      <Typography.Paragraph type="secondary">
        Members without two-factor sign-in cannot open this organization until they set it up.
        You need it on yourself to require it.
      </Typography.Paragraph>
    </section>
  );
}
