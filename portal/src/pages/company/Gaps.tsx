// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Gaps() {
  return <PageHeader title="Gaps" description="Coming soon." />;
}
