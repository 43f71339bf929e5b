// Deactivation, reactivation and organization settings (SPEC.md section 8).
import { api } from './client';
import type { Member } from './types';

/** Where a leaving member's leads go when nobody is named to take them. */
export interface OffboardingPolicy {
  heir_user_id: string | null;
  prefer_assistant_manager: boolean;
}

export interface OrganizationSettings {
  offboarding: OffboardingPolicy;
  /** How long an invitation's one-time password works (the server's setting; read-only). */
  invite_ttl_seconds?: number;
}

/** A merge patch: members left out stay as they are. */
export interface SettingsPatch {
  offboarding?: Partial<OffboardingPolicy> | null;
}

const org = (id: string) => `/orgs/${encodeURIComponent(id)}`;
const member = (orgId: string, userId: string) => `${org(orgId)}/members/${encodeURIComponent(userId)}`;

export const lifecycle = {
  settings: (orgId: string) => api.get<OrganizationSettings>(`${org(orgId)}/settings`),
  updateSettings: (orgId: string, patch: SettingsPatch) =>
    api.patch<OrganizationSettings>(`${org(orgId)}/settings`, patch),
  /** Without `reassignTo` the organization's offboarding policy places the leads. */
  deactivate: (orgId: string, userId: string, reassignTo?: string) =>
    api.post<Member>(`${member(orgId, userId)}/deactivate`, undefined, { reassign_to: reassignTo }),
  reactivate: (orgId: string, userId: string) => api.post<Member>(`${member(orgId, userId)}/reactivate`),
};
