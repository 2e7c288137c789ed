/** TanStack Query keys of the admin remote (its own QueryClient; prefixed anyway). */
export const USERS_QUERY_KEY = ['admin', 'users'] as const;
export const TENANTS_QUERY_KEY = ['admin', 'tenants'] as const;
export const tenantQueryKey = (slug: string) => ['admin', 'tenants', slug] as const;
