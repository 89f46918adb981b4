// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Agents() {
  return <PageHeader title="Agents" description="Coming soon." />;
}
