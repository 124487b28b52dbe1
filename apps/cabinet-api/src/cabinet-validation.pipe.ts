import { ValidationPipe } from '@nestjs/common';

/**
 * Request bodies and queries are checked against their DTO classes; the 400 names each field that
 * is wrong. Unknown fields are dropped, not rejected, so a front end may send a little more.
 */
export const cabinetValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
});
