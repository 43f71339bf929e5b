// The Org users table's sort: the API's `sort` value (issue 16) and the antd
// column it shows on. '' is the server's default order, by name.
export type MemberSortField = 'name' | 'joined' | 'last_sign_in' | 'leads';
export type MemberSort = '' | MemberSortField | `-${MemberSortField}`;
export type SortOrder = 'ascend' | 'descend' | null;

/** The order the column `field` shows for `sort` (controlled `sortOrder`). */
export function orderOf(sort: MemberSort, field: MemberSortField): SortOrder {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

/** The sort a click on a column asks for; null order (the third click) is the default. */
export function sortFrom(field: unknown, order: SortOrder | undefined): MemberSort {
  const known: MemberSortField[] = ['name', 'joined', 'last_sign_in', 'leads'];
  if (!order || !known.includes(field as MemberSortField)) return '';
  return order === 'ascend' ? field as MemberSortField : `-${field as MemberSortField}`;
}
