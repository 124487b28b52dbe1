import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * An array whose entries are each an object `shape`, validated as `type`. ValidateNested alone
 * walks into an inner array and checks its entries instead, so `[[…]]` would reach the handler.
 */
export function NestedObjects(type: new () => object, shape: string): PropertyDecorator {
  return applyDecorators(
    IsObject({
      each: true,
      message: ({ property }) => `each entry of ${property} must be an object ${shape}`,
    }),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}
