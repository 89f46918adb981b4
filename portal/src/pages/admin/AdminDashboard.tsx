// Placeholder: the page is being built (issue 7).
import { PageHeader } from '../../components/PageHeader';

export default function AdminDashboard() {
  return <PageHeader title="AdminDashboard" description="Coming soon." />;
}
