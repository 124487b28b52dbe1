import { Matches } from 'class-validator';

/**
 * A setting naming a Kafka topic, as the broker accepts one: 1 to 249 letters, digits, `.`, `_` or
 * `-`. Anything else would boot, then fail every publish or subscription with kafkajs' "Invalid
 * topic" while readiness, which checks the gateway's own topics, stays green.
 */
export function TopicSetting(name: string): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,249}$/, {
    message: `${name} must be a Kafka topic name: 1 to 249 letters, digits, ".", "_" or "-"`,
  });
}
