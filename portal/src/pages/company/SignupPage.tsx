// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function SignupPage() {
  return <PageHeader title="SignupPage" description="Coming soon." />;
}
