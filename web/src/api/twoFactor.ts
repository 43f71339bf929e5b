// Two-factor sign-in (docs/two-factor.md): the signed-in person's own
// authenticator, the second step of sign-in, an admin's reset, and the
// organization's requirement.
import { api, request } from './client';
import type { LoginAnswer } from './types';

export interface TotpStatus {
  enabled: boolean;
  recovery_codes_left: number;
}

export interface TotpSetup {
  /** base32, for typing into the app */
  secret: string;
  /** the same, for the QR code */
  otpauth_uri: string;
}

export interface OrganizationSettings {
  require_mfa: boolean;
}

const orgPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const twoFactor = {
  status: () => api.get<TotpStatus>('/auth/mfa/totp'),
  /** The password is needed once the sign-in is more than 10 minutes old
   *  (the server answers 422 `password_required` without it). */
  setUp: (password?: string) =>
    api.post<TotpSetup>('/auth/mfa/totp/setup', password === undefined ? undefined : { password }),
  confirm: (code: string) => api.post<{ recovery_codes: string[] }>('/auth/mfa/totp/confirm', { code }),
  /** With a code from the app, or a recovery code when the phone is lost. */
  turnOff: (password: string, factor: { code: string } | { recovery_code: string }) =>
    request<void>('DELETE', '/auth/mfa/totp', { body: { password, ...factor } }),
  /** The second step of sign-in: a code or a recovery code. */
  completeSignIn: (factor: { code: string } | { recovery_code: string }) =>
    api.post<LoginAnswer>('/auth/mfa', factor),
  resetMember: (orgId: string, userId: string) =>
    api.delete<void>(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}/mfa`),
  settings: (orgId: string) => api.get<OrganizationSettings>(`${orgPath(orgId)}/settings`),
  setRequireMfa: (orgId: string, required: boolean) =>
    api.patch<OrganizationSettings>(`${orgPath(orgId)}/settings`, { require_mfa: required }),
};
