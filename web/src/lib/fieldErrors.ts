import type { FormInstance } from 'antd/es/form';
import { ApiError } from '../api/client';

/** Puts a 422's field errors under the form's fields (`fieldOf` maps the
 *  API's field names to the form's). True when every error went to a field,
 *  so that the dialog's alert would only say the same again. */
export function showFieldErrors<Fields>(form: FormInstance<Fields>, caught: unknown,
  fieldOf: Partial<Record<string, keyof Fields>>): boolean {
  if (!(caught instanceof ApiError) || caught.errors.length === 0) return false;
  const placed = caught.errors.filter((item) => fieldOf[item.field] !== undefined);
  form.setFields(placed.map((item) => ({ name: fieldOf[item.field] as never, errors: [item.message] })));
  return placed.length === caught.errors.length;
}
