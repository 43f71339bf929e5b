import { Link } from 'react-router';
import Result from 'antd/es/result';

export default function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="This address does not lead anywhere in the console."
      extra={<Link to="/">Go to the start page</Link>}
    />
  );
}
