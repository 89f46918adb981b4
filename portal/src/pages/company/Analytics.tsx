// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Analytics() {
  return <PageHeader title="Analytics" description="Coming soon." />;
}
