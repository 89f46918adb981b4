// Company names for filters and agent rows: the first 200 companies (the most a page holds), by id.
import { useQuery } from '@tanstack/react-query';
import { adminApi, ok } from '../../api/client';

export function useCompanyNames() {
  const query = useQuery({
    queryKey: ['admin', 'companies', 'names'],
    queryFn: () => ok(adminApi.GET('/admin/companies', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
  const items = query.data?.items || [];
  return {
    options: items.map((c) => ({ value: c.id!, label: c.name || c.id! })),
    nameOf: (id: string | undefined) => items.find((c) => c.id === id)?.name,
  };
}
