// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function AgentDetail() {
  return <PageHeader title="AgentDetail" description="Coming soon." />;
}
