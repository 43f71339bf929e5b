// Client-side routes. Every page is its own chunk, so the sign-in page loads
// only what it shows.
import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { prefetch } from './api/client';
import { useSession } from './session';

const pages = {
  login: () => import('./pages/LoginPage'),
  password: () => import('./pages/PasswordPage'),
  layout: () => import('./layout/ConsoleLayout'),
  users: () => import('./pages/OrgUsersPage'),
  assistants: () => import('./pages/AssistantsPage'),
  assistant: () => import('./pages/AssistantPage'),
  leads: () => import('./pages/LeadsPage'),
  audit: () => import('./pages/AuditPage'),
  notFound: () => import('./pages/NotFoundPage'),
};
const LoginPage = lazy(pages.login);
const PasswordPage = lazy(pages.password);
const ConsoleLayout = lazy(pages.layout);
const OrgUsersPage = lazy(pages.users);
const AssistantsPage = lazy(pages.assistants);
const AssistantPage = lazy(pages.assistant);
const LeadsPage = lazy(pages.leads);
const AuditPage = lazy(pages.audit);
const NotFoundPage = lazy(pages.notFound);

/** At start, fetches the chunks (and for Org users the first page of data)
 *  of the page being opened alongside GET /me, instead of one after another. */
export function preloadFor(pathname: string) {
  prefetch('/me');
  const org = pathname.match(/^\/orgs\/(\d+)(?:\/([a-z]+)(\/[^/]+)?)?/);
  if (pathname === '/login') void pages.login();
  if (pathname === '/password') void pages.password();
  if (!org) return;
  void pages.layout();
  const [, orgId, section = 'users', detail] = org;
  if (section === 'users') {
    void pages.users();
    prefetch(`/orgs/${orgId}/members`, { limit: 50 });
    prefetch(`/orgs/${orgId}/members`, { role: 'admin', status: 'active', limit: 2 });
  }
  if (section === 'assistants') void (detail ? pages.assistant() : pages.assistants());
  if (section === 'leads') void pages.leads();
  if (section === 'audit') void pages.audit();
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
function RequireSession({ children, allowPasswordChange = false }: { children: ReactNode; allowPasswordChange?: boolean }) {
  const { status, me, loadError, refresh } = useSession();
  const location = useLocation();
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
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.must_change_password && !allowPasswordChange) return <Navigate to="/password" replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useSession();
  const first = me?.memberships[0];
  if (!first) {
    return (
      <Notice
        title="You are not a member of any organization"
        text="Ask an organization's admin to invite you."
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
        <Route path="/password" element={<RequireSession allowPasswordChange><PasswordPage /></RequireSession>} />
        <Route path="/" element={<RequireSession><Home /></RequireSession>} />
        <Route path="/orgs/:org" element={<RequireSession><ConsoleLayout /></RequireSession>}>
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<OrgUsersPage />} />
          <Route path="assistants" element={<AssistantsPage />} />
          <Route path="assistants/:assistant" element={<AssistantPage />} />
          <Route path="leads" element={<LeadsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
