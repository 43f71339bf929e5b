// One function per API operation the console uses (SPEC.md sections 3 and 7).
import { api, apiUrl } from './client';
import type {
  ApiKey, ApiKeyScope, Assistant, AssistantUser, AuditEvent, Lead, LeadAccess, LoginAnswer, Me,
  Member, NewApiKey, Organization, Page, RemovalPreview, Removal, Role, Webhook, CreatedWebhook,
  WebhookDelivery,
} from './types';

const org = (id: string) => `/orgs/${encodeURIComponent(id)}`;
const member = (orgId: string, userId: string) => `${org(orgId)}/members/${encodeURIComponent(userId)}`;
const webhook = (orgId: string, webhookId: string) => `${org(orgId)}/webhooks/${encodeURIComponent(webhookId)}`;
const assistant = (orgId: string, assistantId: string) =>
  `${org(orgId)}/assistants/${encodeURIComponent(assistantId)}`;

export interface MemberQuery {
  q?: string;
  role?: Role;
  status?: string;
  /** 'true' or 'false': with or without two-factor on (admins only: 403 for others). */
  mfa?: 'true' | 'false';
  /** name (default), joined, last_sign_in, leads; '-' reverses. */
  sort?: string;
  limit?: number;
  cursor?: string | null;
}

export interface LeadQuery {
  q?: string;
  assistant_id?: string;
  owner_id?: string;
  /** One status or a comma list ("won,lost"). */
  status?: string;
  /** "-created" (the default), "created", "name", "-name", "status", "-status". */
  sort?: string;
  limit?: number;
  cursor?: string | null;
}

/** The audit log's filters (all optional; RFC 3339 times, member IDs). */
export interface AuditFilters {
  actor?: string;
  /** An API key's ID: what was done with it (a revoked key's too). */
  actor_api_key?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
}
type AuditQuery = AuditFilters & { limit?: number; cursor?: string | null };

export const roster = {
  login: (email: string, password: string) => api.post<LoginAnswer>('/auth/login', { email, password }),
  logout: () => api.post<void>('/auth/logout'),
  changePassword: (current_password: string, new_password: string) =>
    api.post<void>('/auth/password', { current_password, new_password }),
  me: () => api.get<Me>('/me'),
  /** Always 202, whatever the e-mail (SPEC 11). */
  requestPasswordReset: (email: string) =>
    api.post<{ detail: string; expires_in_seconds: number }>('/auth/password-reset', { email }),
  /** Asks GET /me and a page of members ahead of need (see preloadFor); the
   *  `early` twins below hand over those answers once they have arrived. */
  prefetch: {
    me: () => api.prefetch('/me'),
    members: (orgId: string, query: MemberQuery) => api.prefetch(`${org(orgId)}/members`, { ...query }),
  },
  early: {
    me: () => api.peek<Me>('/me'),
    members: (orgId: string, query: MemberQuery) => api.peek<Page<Member>>(`${org(orgId)}/members`, { ...query }),
  },

  organization: (orgId: string) => api.get<Organization>(org(orgId)),

  members: (orgId: string, query: MemberQuery, signal?: AbortSignal) =>
    api.get<Page<Member>>(`${org(orgId)}/members`, { ...query }, signal),
  member: (orgId: string, userId: string) => api.get<Member>(member(orgId, userId)),
  invite: (orgId: string, body: { email: string; name: string; role: Role; assistant_ids: string[] }) =>
    api.post<Member>(`${org(orgId)}/invitations`, body),
  resendInvite: (orgId: string, userId: string) => api.post<Member>(`${member(orgId, userId)}/resend-invite`),
  sendPasswordReset: (orgId: string, userId: string) =>
    api.post<{ user_id: string; expires_at: string }>(`${member(orgId, userId)}/password-reset`),
  changeRole: (orgId: string, userId: string, role: Role) => api.patch<Member>(member(orgId, userId), { role }),
  removalPreview: (orgId: string, userId: string) =>
    api.get<RemovalPreview>(`${member(orgId, userId)}/removal-preview`),
  removeMember: (orgId: string, userId: string, reassignTo?: string) =>
    api.delete<Removal>(member(orgId, userId), { reassign_to: reassignTo }),

  assistants: (orgId: string, query: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    api.get<Page<Assistant>>(`${org(orgId)}/assistants`, { ...query }, signal),
  createAssistant: (orgId: string, name: string) => api.post<Assistant>(`${org(orgId)}/assistants`, { name }),
  assistantUsers: (orgId: string, assistantId: string,
                   query: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    api.get<Page<AssistantUser>>(`${assistant(orgId, assistantId)}/users`, { ...query }, signal),
  assignUser: (orgId: string, assistantId: string, userId: string, isManager = false) =>
    api.put<AssistantUser>(`${assistant(orgId, assistantId)}/users/${encodeURIComponent(userId)}`,
                           { is_manager: isManager }),
  setManager: (orgId: string, assistantId: string, userId: string, isManager: boolean) =>
    api.patch<AssistantUser>(`${assistant(orgId, assistantId)}/users/${encodeURIComponent(userId)}`,
                             { is_manager: isManager }),
  unassignUser: (orgId: string, assistantId: string, userId: string, reassignTo?: string) =>
    api.delete<unknown>(`${assistant(orgId, assistantId)}/users/${encodeURIComponent(userId)}`,
                        { reassign_to: reassignTo }),

  leads: (orgId: string, query: LeadQuery, signal?: AbortSignal) =>
    api.get<Page<Lead>>(`${org(orgId)}/leads`, { ...query }, signal),
  createLead: (orgId: string, body: { name: string; email: string; company?: string; assistant_id: string; owner_id?: string }) =>
    api.post<Lead>(`${org(orgId)}/leads`, body),
  updateLead: (orgId: string, leadId: string, body: { owner_id?: string; status?: string; name?: string; company?: string }) =>
    api.patch<Lead>(`${org(orgId)}/leads/${encodeURIComponent(leadId)}`, body),

  /** POST /leads/reassign: named leads, or all of one person's leads on an assistant. */
  reassignLeads: (orgId: string, body: { owner_id: string; lead_ids?: string[]; assistant_id?: string; from_owner_id?: string }) =>
    api.post<{ owner_id: string; reassigned_lead_count: number }>(`${org(orgId)}/leads/reassign`, body),
  leadAccess: (orgId: string, leadId: string) =>
    api.get<{ items: LeadAccess[] }>(`${org(orgId)}/leads/${encodeURIComponent(leadId)}/access`),

  auditEvents: (orgId: string, query: AuditQuery, signal?: AbortSignal) =>
    api.get<Page<AuditEvent>>(`${org(orgId)}/audit-events`, { ...query }, signal),
  lead: (orgId: string, leadId: string) => api.get<Lead>(`${org(orgId)}/leads/${encodeURIComponent(leadId)}`),

  webhooks: (orgId: string, query: { limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
    api.get<Page<Webhook>>(`${org(orgId)}/webhooks`, { ...query }, signal),
  createWebhook: (orgId: string, body: { url: string; events: string[]; description?: string }) =>
    api.post<CreatedWebhook>(`${org(orgId)}/webhooks`, body),
  updateWebhook: (orgId: string, webhookId: string, body: { url?: string; events?: string[]; description?: string; enabled?: boolean }) =>
    api.patch<Webhook>(webhook(orgId, webhookId), body),
  deleteWebhook: (orgId: string, webhookId: string) => api.delete<void>(webhook(orgId, webhookId)),
  rotateWebhookSecret: (orgId: string, webhookId: string) =>
    api.post<{ secret: string }>(`${webhook(orgId, webhookId)}/rotate-secret`),
  testWebhook: (orgId: string, webhookId: string) =>
    api.post<WebhookDelivery>(`${webhook(orgId, webhookId)}/test`),
  webhookDeliveries: (orgId: string, webhookId: string,
                      query: { status?: string; limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
    api.get<Page<WebhookDelivery>>(`${webhook(orgId, webhookId)}/deliveries`, { ...query }, signal),
  redeliver: (orgId: string, webhookId: string, deliveryId: string) =>
    api.post<WebhookDelivery>(`${webhook(orgId, webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
  /** The address of an export (a download link, not a request of the page). */
  exportUrl: (orgId: string, list: ExportList, format: ExportFormat,
              filters: Record<string, string | undefined> = {}) =>
    apiUrl(`${org(orgId)}/${list}/export`, { ...filters, format }),
  /** `status`: active (the default) or revoked. */
  apiKeys: (orgId: string, query: { limit?: number; cursor?: string | null; status?: 'active' | 'revoked' }, signal?: AbortSignal) =>
    api.get<Page<ApiKey>>(`${org(orgId)}/api-keys`, { ...query }, signal),
  /** `expires_at`: RFC 3339; omitted, the key does not expire. */
  createApiKey: (orgId: string, body: { name: string; scope: ApiKeyScope; expires_at?: string }) =>
    api.post<NewApiKey>(`${org(orgId)}/api-keys`, body),
  revokeApiKey: (orgId: string, keyId: string) =>
    api.delete<void>(`${org(orgId)}/api-keys/${encodeURIComponent(keyId)}`),
};

export type ExportList = 'members' | 'leads' | 'audit-events';
export type ExportFormat = 'csv' | 'ndjson';

/** Every page of a small list (assistants, an assistant's users), 200 at a time. */
export async function allPages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>,
                                  max = 2000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}
