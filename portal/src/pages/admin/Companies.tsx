// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Companies() {
  return <PageHeader title="Companies" description="Coming soon." />;
}
