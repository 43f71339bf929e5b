// The two lists Org users asks for when it opens, shared with preloadFor so
// that the answers it asks ahead are the ones the page looks for.
import type { MemberQuery } from '../api/roster';

export const PAGE_SIZE = 50;
export const FIRST_PAGE_QUERY: MemberQuery = { limit: PAGE_SIZE };
/** Two active admins at most: enough to tell whether one is the last. */
export const ADMINS_QUERY: MemberQuery = { role: 'admin', status: 'active', limit: 2 };
