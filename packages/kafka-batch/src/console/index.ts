export { KafkaBatchConsoleModule } from './console.module';
export type { KafkaBatchConsoleOptions } from './console.options';
export type { DeadLetterPreview } from './console.dead-letters';
export type { RedriveRun } from './console.redrives';
