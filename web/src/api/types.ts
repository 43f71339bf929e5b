// The shapes of SPEC.md section 3, as the console uses them.

export type Role = 'admin' | 'user';
export type MemberStatus = 'invited' | 'invite_expired' | 'active' | 'deactivated';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  org: { id: string; name: string };
  role: Role;
  status?: string;
  managed_assistant_ids: string[];
}

export interface Me {
  user: User;
  must_change_password: boolean;
  memberships: Membership[];
}

export interface LoginAnswer {
  user: User;
  must_change_password: boolean;
  /** The password was right and a second factor is due (POST /auth/mfa). */
  mfa_required?: boolean;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Organization {
  id: string;
  name: string;
  created_at: string;
  member_count: number;
}

/** Fields after `status` are present for admins only. */
export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  status: MemberStatus;
  invited_at?: string | null;
  invite_expires_at?: string | null;
  /** Why the pending invitation's e-mail did not arrive (refused by the mail server); admins only. */
  invite_undelivered?: string | null;
  joined_at?: string | null;
  last_login_at?: string | null;
  lead_count?: number;
  /** Two-factor sign-in on; admins only. */
  mfa?: boolean;
  /** The assistants he is on, by name; admins only. */
  assistants?: MemberAssistant[];
}

export interface MemberAssistant {
  id: string;
  name: string;
  /** He is its assistant manager. */
  manager: boolean;
}

export interface RemovalPreview {
  lead_count: number;
  by_assistant: { assistant_id: string; lead_count: number }[];
  is_last_admin: boolean;
}

export interface Removal {
  removed_user_id: string;
  reassigned_to: string | null;
  reassigned_lead_count: number;
}

export interface Assistant {
  id: string;
  name: string;
  created_at: string;
  user_count: number;
}

export interface AssistantUser {
  user_id: string;
  name: string;
  email: string;
  is_manager: boolean;
  /** His status in the organization, as on Org users. */
  status: MemberStatus;
}

/** A lead's statuses, in the pipeline's order. */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'];

export interface Lead {
  id: string;
  name: string;
  email: string;
  company: string;
  status: string;
  assistant_id: string;
  owner_id: string;
  owner_name: string;
  owner_email: string;
  created_at: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  action: string;
  target_user_id: string | null;
  target_name: string | null;
  target_email: string | null;
  details: Record<string, unknown>;
  /** The API key that acted (then actor_user_id is null), named also after it was revoked. */
  actor_api_key_id?: string | null;
  actor_api_key_name?: string | null;
}

/** What an API key may do (SPEC.md section 7). */
export type ApiKeyScope = 'admin' | 'read' | 'scim';

/** An organization's API key as listed: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  scope: ApiKeyScope;
  /** The key's first characters, enough to recognize it. */
  prefix: string;
  /** Who created it; the key outlives his membership. */
  created_by: User | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  /** When it was revoked; null for a key that works. */
  revoked_at: string | null;
}

/** The answer to creating a key: the only time `key` is ever sent. */
export interface NewApiKey extends ApiKey {
  key: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  previous_secret_valid_until: string | null;
  created_at: string;
}

/** The answer to creating an endpoint: the signing secret, shown once. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event_id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export type AccessReason = 'org_admin' | 'owner' | 'manager_of_assistant';

/** One reason one person sees a lead (GET /leads/{id}/access). */
export interface LeadAccess {
  user_id: string;
  name: string;
  email: string;
  because: AccessReason;
}
