// POST /orgs/{org}/invitations/bulk with a CSV body (SPEC 8). Apart from
// client.ts's JSON requests because its body is the CSV file as chosen, and
// its 422 carries every row's result, which the preview shows.
import { ApiError } from './client';
import type { FieldError } from './client';

export type BulkResult = 'invited' | 'added' | 'already_member' | 'invalid';

export interface BulkRowResult {
  row: number;
  email: string;
  result: BulkResult;
  errors?: FieldError[];
  user_id?: string;
}

export interface BulkOutcome {
  dry_run: boolean;
  counts: Record<BulkResult, number>;
  results: BulkRowResult[];
}

/** The outcome, also when rows are invalid (nothing was written then);
 *  throws an ApiError for anything else (a bad header, 403, ...). */
export async function bulkInvite(orgId: string, csv: string, dryRun: boolean): Promise<BulkOutcome> {
  const url = `/api/v1/orgs/${encodeURIComponent(orgId)}/invitations/bulk${dryRun ? '?dry_run=true' : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'text/csv', 'X-Requested-With': 'roster' },
      body: csv,
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Roster server. Check your connection and try again.');
  }
  const body = await response.json().catch(() => null) as
    (Partial<BulkOutcome> & { code?: string; detail?: string; errors?: FieldError[] }) | null;
  if (body && Array.isArray(body.results) && (response.ok || response.status === 422)) {
    return body as BulkOutcome;
  }
  const detail = body?.errors?.[0]?.message ?? body?.detail ?? `The request failed (HTTP ${response.status}).`;
  throw new ApiError(response.status, body?.code ?? `http_${response.status}`, detail, body?.errors ?? []);
}
