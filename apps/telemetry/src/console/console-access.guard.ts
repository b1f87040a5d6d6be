import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TELEMETRY_CONFIG, TelemetryConfig } from '../config/telemetry.config';

const COOKIE = 'telemetry_console';

/**
 * Who may use the operator console: anyone when CONSOLE_TOKEN is unset (a laptop, a port-forward);
 * otherwise whoever opened it once with `?token=<CONSOLE_TOKEN>` (kept in an HTTP-only cookie for
 * the page's own requests). CONSOLE_READ_ONLY=true lets reads through only.
 */
@Injectable()
export class ConsoleAccessGuard implements CanActivate {
  constructor(@Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage & { method: string; url: string }>();
    if (this.config.consoleReadOnly && request.method !== 'GET' && request.method !== 'HEAD')
      throw new ForbiddenException('the console is read-only here (CONSOLE_READ_ONLY=true)');
    const token = this.config.consoleToken;
    if (token === undefined) return true;
    const given = new URL(request.url, 'http://console').searchParams.get('token');
    if (given !== null && same(given, token)) {
      http
        .getResponse<ServerResponse>()
        .setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      return true;
    }
    const cookie = /(?:^|;\s*)telemetry_console=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];
    return cookie !== undefined && same(decodeURIComponent(cookie), token);
  }
}

function same(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
