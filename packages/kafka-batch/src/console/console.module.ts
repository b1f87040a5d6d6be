import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ConsoleController } from './console.controller';
import { ConsoleDeadLetters } from './console.dead-letters';
import { ConsoleGuard } from './console.guard';
import {
  KAFKA_BATCH_CONSOLE_GUARD,
  KAFKA_BATCH_CONSOLE_OPTIONS,
  KafkaBatchConsoleOptions,
  resolveConsoleOptions,
} from './console.options';
import { ConsoleRecorder } from './console.recorder';
import { ConsoleRedrives } from './console.redrives';

/**
 * The operator console: a page and its API, served by the application (any HTTP platform Nest
 * runs on), for the listeners of KafkaBatchModule (registered globally, as forRoot does). Off
 * unless imported; protect it with `guard`, or serve it `readOnly`.
 */
@Module({})
export class KafkaBatchConsoleModule {
  static forRoot(options: KafkaBatchConsoleOptions = {}): DynamicModule {
    const resolved = resolveConsoleOptions(options);
    // One controller class serves one path per application: the path of the last forRoot.
    Reflect.defineMetadata(PATH_METADATA, resolved.path, ConsoleController);
    const providers: Provider[] = [
      { provide: KAFKA_BATCH_CONSOLE_OPTIONS, useValue: resolved },
      ConsoleGuard,
      ConsoleRecorder,
      ConsoleDeadLetters,
      ConsoleRedrives,
    ];
    if (options.guard)
      providers.push(options.guard, { provide: KAFKA_BATCH_CONSOLE_GUARD, useExisting: options.guard });
    return { module: KafkaBatchConsoleModule, controllers: [ConsoleController], providers };
  }
}
