import Alert from 'antd/es/alert';
import Button from 'antd/es/button';

/** A list's error state: the server's explanation and a way to try again. */
export function ListError({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title="Could not load this list"
      description={error}
      action={<Button size="small" onClick={onRetry}>Try again</Button>}
      className="form-alert"
    />
  );
}
