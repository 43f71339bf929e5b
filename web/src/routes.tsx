// Client-side routes. Every page is its own chunk, so the sign-in page loads
// only what it shows.
import { lazy, Suspense } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { roster } from './api/roster';
import { ADMINS_QUERY, FIRST_PAGE_QUERY } from './pages/orgUsersQueries';
import { asksMe, useSession } from './session';

/** A page chunk behind React.lazy that renders without suspending once it
 *  has loaded. A lazy component that suspends shows its fallback, and React
 *  then holds back the page that replaces it (up to 300 ms, to avoid
 *  flicker): loading the chunks of the first page before the first render
 *  (see preloadFor) skips both. */
function page<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  let loaded: { default: T } | null = null;
  let loading: Promise<{ default: T }> | null = null;
  const preload = () => (loading ??= load().then((module) => (loaded = module)));
  // A thenable that calls back at once: React.lazy then resolves in place.
  const ready = () => ({ then: (resolve: (module: { default: T }) => void) => resolve(loaded!) });
  const Component = lazy(() => (loaded ? (ready() as unknown as Promise<{ default: T }>) : preload()));
  return { Component, preload };
}

const pages = {
  login: page(() => import('./pages/LoginPage')),
  password: page(() => import('./pages/PasswordPage')),
  forgotPassword: page(() => import('./pages/ForgotPasswordPage')),
  layout: page(() => import('./layout/ConsoleLayout')),
  users: page(() => import('./pages/OrgUsersPage')),
  assistants: page(() => import('./pages/AssistantsPage')),
  assistant: page(() => import('./pages/AssistantPage')),
  leads: page(() => import('./pages/LeadsPage')),
  audit: page(() => import('./pages/AuditPage')),
  webhooks: page(() => import('./pages/WebhooksPage')),
  apiKeys: page(() => import('./pages/ApiKeysPage')),
  security: page(() => import('./pages/SecurityPage')),
  settings: page(() => import('./pages/SettingsPage')),
  notFound: page(() => import('./pages/NotFoundPage')),
};
const LoginPage = pages.login.Component;
const PasswordPage = pages.password.Component;
const ForgotPasswordPage = pages.forgotPassword.Component;
const ConsoleLayout = pages.layout.Component;
const OrgUsersPage = pages.users.Component;
const AssistantsPage = pages.assistants.Component;
const AssistantPage = pages.assistant.Component;
const LeadsPage = pages.leads.Component;
const AuditPage = pages.audit.Component;
const WebhooksPage = pages.webhooks.Component;
const ApiKeysPage = pages.apiKeys.Component;
const SecurityPage = pages.security.Component;
const SettingsPage = pages.settings.Component;
const NotFoundPage = pages.notFound.Component;

/** At start, fetches the chunks of the page being opened, GET /me and, for
 *  Org users, its first page of data, all at once instead of one after
 *  another. Settles when all have arrived (or failed: the page then asks
 *  again, or shows the error, when it renders). */
export function preloadFor(pathname: string): Promise<unknown> {
  const waits: Promise<unknown>[] = asksMe(pathname) ? [roster.prefetch.me()] : [];
  const load = (chunk: { preload: () => Promise<unknown> }) => waits.push(chunk.preload());
  const org = pathname.match(/^\/orgs\/(\d+)(?:\/([a-z-]+)(\/[^/]+)?)?/);
  if (pathname === '/login') load(pages.login);
  if (pathname === '/password') load(pages.password);
  if (pathname === '/forgot-password') load(pages.forgotPassword);
  if (pathname === '/security') load(pages.security);
  if (org) {
    load(pages.layout);
    const [, orgId, section = 'users', detail] = org;
    if (section === 'users') {
      load(pages.users);
      waits.push(roster.prefetch.members(orgId, FIRST_PAGE_QUERY), roster.prefetch.members(orgId, ADMINS_QUERY));
    }
    if (section === 'assistants') load(detail ? pages.assistant : pages.assistants);
    if (section === 'leads') load(pages.leads);
    if (section === 'audit') load(pages.audit);
    if (section === 'webhooks') load(pages.webhooks);
    if (section === 'api-keys') load(pages.apiKeys);
    if (section === 'settings') load(pages.settings);
  }
  return Promise.allSettled(waits);
}

// The boot and fallback screens are plain markup: they show before any page
// chunk (and most of antd) has loaded.
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="boot-screen" role="status" aria-live="polite">
      <span className="boot-spinner" aria-hidden="true" />
      <span className="boot-label">{label}</span>
    </div>
  );
}

function Notice({ title, text, action }: { title: string; text?: ReactNode; action?: ReactNode }) {
  return (
    <main className="boot-screen">
      <div className="notice">
        <h1>{title}</h1>
        {text && <p>{text}</p>}
        {action}
      </div>
    </main>
  );
}

/** Sends a visitor without a session to /login, and a one-time-password
 *  session to /password, remembering where they were going. */
function RequireSession({ children, allowPasswordChange = false, allowMfaSetup = false }:
  { children: ReactNode; allowPasswordChange?: boolean; allowMfaSetup?: boolean }) {
  const { status, me, loadError, refresh, mfaRequiredOrgs, newPasswordFor } = useSession();
  const location = useLocation();
  const orgId = /^\/orgs\/([^/]+)/.exec(location.pathname)?.[1];
  if (status === 'loading') return <Loading />;
  if (status === 'error') {
    return (
      <Notice
        title="The console cannot reach Roster"
        text={loadError}
        action={<button type="button" className="notice-button" onClick={() => void refresh()}>Try again</button>}
      />
    );
  }
  if (status === 'signed-out' || !me) {
    // A new password set without a session: nothing to return to (see LoginPage).
    if (newPasswordFor !== null) return <Navigate to="/login" replace />;
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.must_change_password && !allowPasswordChange) return <Navigate to="/password" replace />;
  // Only the organizations that require it: his others stay open.
  if (orgId !== undefined && mfaRequiredOrgs.includes(decodeURIComponent(orgId)) && !allowMfaSetup) {
    return <Navigate to="/security?required=1" replace />;
  }
  return <>{children}</>;
}

function Home() {
  const { me, mfaRequiredOrgs } = useSession();
  // An organization that does not send him to set up two-factor sign-in, if any.
  const first = me?.memberships.find((item) => !mfaRequiredOrgs.includes(item.org.id)) ?? me?.memberships[0];
  if (!first) {
    // GET /me lists only active memberships: a deactivated member lands here
    // too, and an invitation is refused to him (he is still a member).
    return (
      <Notice
        title="You have no active organization"
        text="If an admin deactivated you, ask them to reactivate you; otherwise ask an organization's admin to invite you."
        action={<a className="notice-button" href="/login">Back to sign in</a>}
      />
    );
  }
  return <Navigate to={`/orgs/${first.org.id}/users`} replace />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/password" element={<RequireSession allowPasswordChange><PasswordPage /></RequireSession>} />
        <Route path="/security" element={<RequireSession allowMfaSetup><SecurityPage /></RequireSession>} />
        <Route path="/" element={<RequireSession><Home /></RequireSession>} />
        <Route path="/orgs/:org" element={<RequireSession><ConsoleLayout /></RequireSession>}>
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<OrgUsersPage />} />
          <Route path="assistants" element={<AssistantsPage />} />
          <Route path="assistants/:assistant" element={<AssistantPage />} />
          <Route path="leads" element={<LeadsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
