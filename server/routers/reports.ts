/** `reports.*`: one report in full, its versions, and the editor's upload and remove. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { IngestResult, IngestSource } from '../store/ingest.ts';
import { getReview } from '../store/overrides.ts';
import { bilingual, editorProcedure, publicProcedure, router } from '../trpc.ts';

const ReportId = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'a report id is the 64-hex-digit sha256 of the file'),
});

/** Most files accepted in one upload request. */
const MAX_FILES = 200;

function notFound(id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: bilingual(`未找到报告 ${id}`, `Report ${id} not found`) });
}

/** `reports.get`, `reports.history`, `reports.upload`, `reports.remove`. */
export const reportsRouter = router({
  /** One report with its extraction (fields, projects, indicators, issues, suggestions, flags, text, spans),
   * status, history, and its review: state, corrections (active and stale) and the records as corrected. */
  get: publicProcedure.input(ReportId).query(async ({ ctx, input }) => {
    const report = await ctx.store.get(input.id);
    if (!report) throw notFound(input.id);
    const review = await getReview(ctx.store.db, report);
    return { ...report, review_state: review.state, review };
  }),

  /** Every version for the report's department, year and kind, newest first. */
  history: publicProcedure.input(ReportId).query(async ({ ctx, input }) => {
    const versions = await ctx.store.history(input.id);
    if (!versions) throw notFound(input.id);
    return versions;
  }),

  /** Ingests the `file` fields of a multipart form; one result per field, in order. */
  upload: editorProcedure.input(z.instanceof(FormData)).mutation(async ({ ctx, input }): Promise<IngestResult[]> => {
    // A part without a file name (or with an empty one) arrives as a string; it still gets its result.
    const files = input.getAll('file').map((f) => (typeof f === 'string' ? new File([f], '') : f));
    if (files.length === 0) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: bilingual('上传内容中没有文件（字段 file）', 'No file in the upload (form field "file")'),
      });
    }
    if (files.length > MAX_FILES) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: bilingual(`一次最多上传 ${MAX_FILES} 个文件`, `At most ${MAX_FILES} files per upload`),
      });
    }
    const sources = files.map((f): IngestSource => ({ name: f.name, read: async () => new Uint8Array(await f.arrayBuffer()) }));
    return (await ctx.store.ingest(sources, { maxBytes: ctx.maxUploadBytes })).results;
  }),

  /** Deletes a report (its source, extraction and rows); an older version becomes current again. */
  remove: editorProcedure.input(ReportId).mutation(async ({ ctx, input }) => {
    if (!(await ctx.store.remove(input.id))) throw notFound(input.id);
    return { id: input.id, removed: true as const, version: ctx.store.manifest().version };
  }),
});
