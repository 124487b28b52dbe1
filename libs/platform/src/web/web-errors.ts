import type { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/**
 * Logs an error a page did not expect, with its stack, under a fresh correlation id; the page
 * shows only the id, which support staff then find in the log.
 */
export function logUnhandledPageError(logger: Logger, path: string, error: unknown): string {
  const correlationId = randomUUID();
  logger.error({
    msg: 'unhandled web error',
    correlationId,
    path,
    error: String(error),
    stack: (error as Error)?.stack,
  });
  return correlationId;
}

/**
 * What a page says of input the edge refuses (`UnfitInputException`: U+0000, fields nested too
 * deep), in Russian in place of the check's English: a title and a text.
 */
export const UNFIT_INPUT_PAGE = [
  'Неверный запрос',
  'В адресе или форме недопустимый символ U+0000 или поля, вложенные слишком глубоко. Проверьте ссылку или обновите страницу.',
] as const;
