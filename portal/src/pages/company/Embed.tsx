// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Embed() {
  return <PageHeader title="Embed" description="Coming soon." />;
}
