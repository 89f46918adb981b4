// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function Transcripts() {
  return <PageHeader title="Transcripts" description="Coming soon." />;
}
