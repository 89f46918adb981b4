// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function EndUsers() {
  return <PageHeader title="EndUsers" description="Coming soon." />;
}
