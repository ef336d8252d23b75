/** `review.*`: editors correct extracted values and mark reports reviewed; everyone reads the queue and the audit trail. */
import { TRPCError } from '@trpc/server';
import { AuditInput, CorrectInput, MarkReviewedInput, QueueInput, RevertInput } from '../review-schema.ts';
import { auditLog, correct, markReviewed, reviewQueue, revert, ReviewError } from '../store/overrides.ts';
import { bilingual, editorProcedure, publicProcedure, router } from '../trpc.ts';

/** Runs a store change, turning its refusals into tRPC errors with the same bilingual message. */
async function change<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ReviewError) throw new TRPCError({ code: e.code, message: bilingual(e.zh, e.en) });
    throw e;
  }
}

/** `review.correct`, `review.revert`, `review.markReviewed`, `review.queue`, `review.audit`, `review.checkToken`. */
export const reviewRouter = router({
  /** Corrects one field of a report, a project row or an issue; the published tables use the corrected value. */
  correct: editorProcedure.input(CorrectInput).mutation(async ({ ctx, input }) => {
    const result = await change(() => correct(ctx.store.db, input));
    return { ...result, version: (await ctx.store.republish()).version };
  }),

  /** Undoes a correction (also recorded in the audit trail). */
  revert: editorProcedure.input(RevertInput).mutation(async ({ ctx, input }) => {
    const result = await change(() => revert(ctx.store.db, input));
    return { ...result, version: (await ctx.store.republish()).version };
  }),

  /** Marks a report reviewed (已复核) with an optional note. */
  markReviewed: editorProcedure.input(MarkReviewedInput).mutation(async ({ ctx, input }) => {
    const result = await change(() => markReviewed(ctx.store.db, input));
    return { ...result, version: (await ctx.store.republish()).version };
  }),

  /** Current reports ranked by how much needs checking (stale corrections, flags, low-confidence fields, unreviewed). */
  queue: publicProcedure.input(QueueInput).query(({ ctx, input }) => reviewQueue(ctx.store.db, input)),

  /** Every change (corrections, reverts, review marks, corrections carried to new versions), newest first. */
  audit: publicProcedure.input(AuditInput).query(({ ctx, input }) => auditLog(ctx.store.db, input)),

  /** Succeeds only with the editor token (a wrong one counts towards the lock-out like any editor call). */
  checkToken: editorProcedure.query(() => ({ editor: true as const })),
});
