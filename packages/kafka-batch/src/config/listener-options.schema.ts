import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

const int = (min: number, max: number) => [
  IsInt({ message: `must be an integer in ${min}..${max}` }),
  Min(min, { message: `must be an integer in ${min}..${max}` }),
  Max(max, { message: `must be an integer in ${min}..${max}` }),
];

function Range(min: number, max: number): PropertyDecorator {
  return (target, key) => int(min, max).forEach((decorate) => decorate(target, key));
}

/** The constraints on resolved listener options, checked once at startup. */
export class ListenerOptionsSchema {
  @IsString({ message: 'must be a non-empty string (the consumer group id)' })
  @IsNotEmpty({ message: 'must be a non-empty string (the consumer group id)' })
  groupId!: string;

  @ValidateIf((o: ListenerOptionsSchema) => o.topicPattern === undefined)
  @IsArray({ message: 'must be a non-empty list of topic names (or set topicPattern)' })
  @ArrayNotEmpty({ message: 'must be a non-empty list of topic names (or set topicPattern)' })
  @IsString({ each: true, message: 'must contain only topic names' })
  topics!: string[];

  @IsOptional()
  topicPattern?: RegExp;

  @Range(1, 100_000) maxPollRecords!: number;
  @Range(1, 100 * 1024 * 1024) fetchMinBytes!: number;
  @Range(0, 300_000) fetchMaxWaitMs!: number;
  @Range(1, 1024) concurrency!: number;
  @Range(1_000, 3_600_000) sessionTimeoutMs!: number;
  @Range(100, 3_600_000) heartbeatIntervalMs!: number;
  @Range(1_000, 86_400_000) maxPollIntervalMs!: number;
  @Range(100, 86_400_000) maxBatchDurationMs!: number;
  @Range(1, 10_000_000) maxInFlightRecords!: number;
  @Range(1024, 2 ** 31 - 1) maxInFlightBytes!: number;
  @Range(0, 3_600_000) shutdownTimeoutMs!: number;

  @IsIn(['earliest', 'latest', 'error'], { message: "must be one of 'earliest', 'latest', 'error'" })
  autoOffsetReset!: string;

  @IsIn(['manual', 'batch', 'record'], { message: "must be one of 'manual', 'batch', 'record'" })
  ackMode!: string;

  @ValidateIf((o: ListenerOptionsSchema) => typeof o.deserializer !== 'function')
  @IsIn(['json', 'string', 'raw'], { message: "must be one of 'json', 'string', 'raw' or a function" })
  deserializer!: unknown;

  @IsBoolean({ message: 'must be true or false' })
  autoStartup!: boolean;

  @IsIn(['cooperative-sticky', 'range', 'roundrobin'], {
    message: "must be one of 'cooperative-sticky', 'range', 'roundrobin'",
  })
  assignor!: string;

  @IsIn(['classic', 'consumer'], { message: "must be one of 'classic', 'consumer'" })
  groupProtocol!: string;

  @IsOptional()
  @IsString({ message: "must be a string, 'auto' or false" })
  @IsNotEmpty({ message: "must be a string, 'auto' or false" })
  groupInstanceId?: string;

  @Range(1, 600_000) rebalanceListenerTimeoutMs!: number;
}
