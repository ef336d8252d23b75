/** tRPC, set up once: context, error formatting (bilingual messages, never a stack), procedures, caller factory. */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { EditorAuth } from './auth.ts';
import type { Store } from './store/store.ts';

/** Long-lived services every request can use. */
export interface Services {
  store: Store;
  auth: EditorAuth;
  maxUploadBytes: number;
}

/** The context of one request. */
export interface Context extends Services {
  /** The request carried the editor token. */
  isEditor: boolean;
  /** The request carried some bearer token (right or wrong): only wrong tokens count towards the lock-out. */
  presentedToken: boolean;
  /** The client's address, for the lock-out after repeated wrong tokens. */
  ip: string;
}

/** Builds the context of a request from its Authorization header and address. */
export function createContext(services: Services, authorization: string | undefined, ip: string): Context {
  return {
    ...services,
    isEditor: services.auth.check(authorization),
    presentedToken: /^Bearer\s+\S/i.test(authorization ?? ''),
    ip,
  };
}

/** A message in Chinese and English, as every error the API returns. */
export function bilingual(zh: string, en: string): string {
  return `${zh} / ${en}`;
}

/** Chinese for tRPC's own (English-only) errors, by code. */
const CODE_ZH: Record<string, string> = {
  BAD_REQUEST: '请求无效',
  PARSE_ERROR: '请求格式错误',
  METHOD_NOT_SUPPORTED: '不支持的请求方法',
  NOT_FOUND: '未找到',
  TIMEOUT: '请求超时',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const { stack: _stack, ...data } = shape.data;
    let message = shape.message;
    if (error.cause instanceof ZodError) {
      const issues = error.cause.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message);
      message = bilingual('输入无效', `Invalid input: ${issues.join('; ')}`);
    } else if (error.code === 'PAYLOAD_TOO_LARGE') {
      const mb = ctx ? `${Math.round((ctx.maxUploadBytes / 2 ** 20) * 10) / 10} MB` : null;
      message = bilingual(
        `请求体过大${mb ? `（单个文件上限 ${mb}）` : ''}，请分批上传`,
        `Request body too large${mb ? ` (${mb} per file)` : ''}; upload fewer files at once`,
      );
    } else if (error.code === 'INTERNAL_SERVER_ERROR') {
      // Whatever went wrong inside is logged on the server; the client gets no internals.
      message = bilingual('服务器内部错误', 'Internal server error');
    } else if (!/[\u4e00-\u9fff]/.test(message)) {
      message = bilingual(CODE_ZH[error.code] ?? '请求失败', message);
    }
    return { ...shape, message, data };
  },
});

/** Builds a router from procedures and sub-routers. */
export const router = t.router;
/** A procedure anyone may call (reading is open). */
export const publicProcedure = t.procedure;
/** Makes in-process callers of a router (tests, scripts). */
export const createCallerFactory = t.createCallerFactory;

/** A procedure for editors only: needs `Authorization: Bearer <editor token>`. */
export const editorProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.auth.isLocked(ctx.ip)) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: bilingual('令牌错误次数过多，请稍后再试', 'Too many wrong tokens; try again later'),
    });
  }
  if (!ctx.isEditor) {
    if (ctx.presentedToken) ctx.auth.recordFailure(ctx.ip);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: bilingual('未授权：需要编辑令牌', 'Unauthorized: editor token required') });
  }
  // The editor got it right: earlier typos from this address no longer count towards a lock-out.
  ctx.auth.recordSuccess(ctx.ip);
  return next();
});
