// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function AgentEditor() {
  return <PageHeader title="AgentEditor" description="Coming soon." />;
}
