// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Team() {
  return <PageHeader title="Team" description="Coming soon." />;
}
