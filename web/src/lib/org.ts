import { createContext, useContext } from 'react';
import type { OrgAccess } from '../session';

export const OrgContext = createContext<OrgAccess | null>(null);

/** The current organization and what the signed-in user may do in it. */
export function useOrg(): OrgAccess {
  const access = useContext(OrgContext);
  if (!access) throw new Error('useOrg outside an organization route');
  return access;
}
