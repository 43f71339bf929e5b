// The organization's "Require two-factor" switch (docs/two-factor.md). An
// admin must have two-factor on himself to turn it on: the card says so
// before he tries when GET /auth/mfa/totp answers that he has none, and the
// server refuses otherwise (409 mfa_setup_required); both link to the
// Security page, whose "Back to Roster" returns here. Turning it on asks
// first, naming the active members who do not have two-factor yet: from
// their next request they can do nothing in the organization until they set
// it up. Turning it off asks nothing. The server finds them (GET
// /members?status=active&mfa=false).
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import Alert from 'antd/es/alert';
import Modal from 'antd/es/modal';
import Skeleton from 'antd/es/skeleton';
import Switch from 'antd/es/switch';
import Typography from 'antd/es/typography';
import { ApiError, errorMessage } from '../api/client';
import { roster } from '../api/roster';
import { twoFactor } from '../api/twoFactor';
import type { Member } from '../api/types';
import { plural } from '../lib/format';
import { useOrg } from '../lib/org';
import { useToast } from '../toast';

/** Pages of active members without two-factor read (200 each). */
const MAX_PAGES = 10;

/** The active members without two-factor but `me` (who needs it to require
 *  it: the server says so), as the server filters them (status=active&mfa=false);
 *  `complete` false when there were more pages than read. */
async function membersWithoutMfa(orgId: string, me: string, signal: AbortSignal) {
  const found: Member[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await roster.members(orgId, { status: 'active', mfa: 'false', limit: 200, cursor }, signal);
    found.push(...answer.items.filter((member) => member.user_id !== me));
    cursor = answer.next_cursor;
    if (!cursor) return { members: found, complete: true };
  }
  return { members: found, complete: false };
}

/** Whether an active member but `me` has two-factor on: asked only when
 *  none is without it, to tell "every other one has it" from "there is no
 *  other one". */
async function othersWithMfa(orgId: string, me: string, signal: AbortSignal) {
  const answer = await roster.members(orgId, { status: 'active', mfa: 'true', limit: 2 }, signal);
  return answer.items.some((member) => member.user_id !== me);
}

/** "Bob Seller, Carl Closer and 3 others". */
function someNames(members: Member[], complete: boolean): string {
  const shown = members.slice(0, 3).map((member) => member.name);
  const others = members.length - shown.length;
  if (others > 0 || !complete) return `${shown.join(', ')} and ${complete ? plural(others, 'other') : 'others'}`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
}

/** The link to set up one's own two-factor; the Security page's "Back to
 *  Roster" comes back here. */
function SetUpLink() {
  const location = useLocation();
  return <Link to="/security" state={{ back: location.pathname }}>Set up two-factor sign-in</Link>;
}

function RequireConfirmation({ orgId, open, busy, ownMfa, onProceed, onCancel }: {
  orgId: string;
  open: boolean;
  busy: boolean;
  /** Whether the admin has two-factor on himself; null when not known. */
  ownMfa: boolean | null;
  onProceed: () => void;
  onCancel: () => void;
}) {
  const { orgName, userId } = useOrg();
  const [without, setWithout] = useState<{ members: Member[]; complete: boolean; alone: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    setWithout(null);
    setLoadError(null);
    if (!open) return;
    const controller = new AbortController();
    membersWithoutMfa(orgId, userId, controller.signal)
      .then(async (found) => ({
        ...found,
        alone: found.complete && found.members.length === 0 && !(await othersWithMfa(orgId, userId, controller.signal)),
      }))
      .then(setWithout)
      .catch((caught) => { if (!controller.signal.aborted) setLoadError(errorMessage(caught)); });
    return () => controller.abort();
  }, [orgId, userId, open]);

  const count = without?.members.length ?? 0;
  return (
    <Modal
      title="Require two-factor sign-in?"
      open={open}
      okText="Proceed"
      okButtonProps={{ danger: count > 0 }}
      confirmLoading={busy}
      onOk={onProceed}
      onCancel={onCancel}
      destroyOnHidden
    >
      {ownMfa === false && (
        <Alert type="warning" showIcon className="form-alert"
               title="You don't have two-factor sign-in on yourself. Roster refuses to require it until you do."
               description={<SetUpLink />} />
      )}
      {!without && !loadError && <Skeleton active paragraph={{ rows: 2 }} />}
      {loadError && (
        <Typography.Paragraph>
          Members without two-factor sign-in will not be able to open {orgName} until they set it up.
          (Who they are could not be read: {loadError})
        </Typography.Paragraph>
      )}
      {without && without.alone && (
        <Typography.Paragraph>
          You are the only active member of {orgName}. People who join from now on set it up before they can
          open {orgName}.
        </Typography.Paragraph>
      )}
      {without && count === 0 && without.complete && !without.alone && (
        <Typography.Paragraph>
          Every other active member of {orgName} has two-factor sign-in on. People who join from now on set it up
          before they can open {orgName}.
        </Typography.Paragraph>
      )}
      {without && (count > 0 || !without.complete) && (
        <Typography.Paragraph>
          <strong>
            {without.complete
              ? `${plural(count, 'member')} ${count === 1 ? "doesn't" : "don't"} have two-factor sign-in yet`
              : `At least ${plural(count, 'member')} don't have two-factor sign-in yet`}
          </strong>
          {count > 0 && ` (${someNames(without.members, without.complete)})`}. From their next step in Roster
          they won't be able to open {orgName} until they set it up. Invited members set it up when they join.
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

export function RequireMfaSetting({ orgId }: { orgId: string }) {
  const message = useToast();
  const [required, setRequired] = useState<boolean | null>(null);
  // His own two-factor (GET /auth/mfa/totp); null until known, or when it
  // could not be read (the server still refuses, and says so).
  const [ownMfa, setOwnMfa] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; needsSetup: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    twoFactor.settings(orgId)
      .then((settings) => setRequired(settings.require_mfa))
      .catch((caught) => setError({ text: errorMessage(caught), needsSetup: false }));
    let live = true;
    twoFactor.status()
      .then((status) => { if (live) setOwnMfa(status.enabled); })
      .catch(() => { if (live) setOwnMfa(null); });
    return () => { live = false; };
  }, [orgId]);

  const change = async (next: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const settings = await twoFactor.setRequireMfa(orgId, next);
      setRequired(settings.require_mfa);
      setConfirming(false);
      message.success(settings.require_mfa
        ? 'Two-factor sign-in is now required in this organization.'
        : 'Two-factor sign-in is no longer required.');
    } catch (caught) {
      setConfirming(false);
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
               description={error.needsSetup && <SetUpLink />} />
      )}
      {ownMfa === false && required === false && !error?.needsSetup && (
        // Said before he tries: the server would refuse. Page text, not an
        // event: role=alert had it announced on every visit to Settings.
        <Alert type="warning" showIcon role="note" className="form-alert" data-testid="require-mfa-own"
               title="Turn on two-factor sign-in for yourself first: you need it on to require it of others."
               description={<SetUpLink />} />
      )}
      <div className="settings-row">
        <Switch
          id="require-mfa"
          checked={required ?? false}
          loading={busy || required === null}
          disabled={required === null}
          onChange={(next) => (next ? setConfirming(true) : void change(false))}
        />
        <label htmlFor="require-mfa">Require two-factor</label>
      </div>
      <RequireConfirmation orgId={orgId} open={confirming} busy={busy} ownMfa={ownMfa}
                           onProceed={() => void change(true)} onCancel={() => setConfirming(false)} />
      <Typography.Paragraph type="secondary">
        Members without two-factor sign-in cannot open this organization until they set it up.
        You need it on yourself to require it.
      </Typography.Paragraph>
    </section>
  );
}
