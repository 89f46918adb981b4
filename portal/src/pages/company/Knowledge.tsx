// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Knowledge() {
  return <PageHeader title="Knowledge" description="Coming soon." />;
}
