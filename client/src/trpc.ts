/** The tRPC client (router *type* only) and the app's one QueryClient. */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/router.ts';

/** The app's one QueryClient (DuckDB results never go stale within a data version). */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: 1 } },
});

const url = '/trpc';

/** FormData (uploads) cannot be batched: it goes through the plain HTTP link. */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => isNonJsonSerializable(op.input),
      true: httpLink({ url }),
      false: httpBatchLink({ url }),
    }),
  ],
});

/** Query/mutation option factories for every procedure (`trpc.reports.get.queryOptions({ id })`). */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
