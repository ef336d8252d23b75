/** The app router: every procedure the client can call. */
import { reportsRouter } from './routers/reports.ts';
import { reviewRouter } from './routers/review.ts';
import { loadTaxonomy } from './taxonomy.ts';
import { createCallerFactory, publicProcedure, router } from './trpc.ts';

/** Every procedure of the API, served at /trpc. */
export const appRouter = router({
  /** Liveness plus what is being served. */
  health: publicProcedure.query(({ ctx }) => {
    const manifest = ctx.store.manifest();
    return { ok: true as const, version: manifest.version, reports: manifest.tables.find((t) => t.name === 'reports')?.rows ?? 0 };
  }),

  dataset: router({
    /** The published data version and its Parquet tables (`/data/<version>/<table>.parquet`). */
    manifest: publicProcedure.query(({ ctx }) => ctx.store.manifest()),
  }),

  reports: reportsRouter,

  review: reviewRouter,

  taxonomy: router({
    /** The issue categories with their Chinese and English names. */
    list: publicProcedure.query(() => loadTaxonomy()),
  }),
});

/** The router's type: all the client imports from the server. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, scripts). */
export const createCaller = createCallerFactory(appRouter);
