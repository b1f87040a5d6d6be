import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';

const MAX_MINUTES = 24 * 60;

interface MinuteRow {
  minute: Date;
  messages: number;
  avgPowerW: number;
}

/**
 * The per-minute counts the listener keeps by increments: `GET /devices/:deviceId/minutes?last=60`
 * gives a device's last minutes that have data, newest first (messages received, average power).
 */
@Controller('devices')
export class DeviceMinutesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':deviceId/minutes')
  async minutes(@Param('deviceId') deviceId: string, @Query('last') last = '60'): Promise<MinuteRow[]> {
    const count = Number(last);
    if (!Number.isInteger(count) || count < 1 || count > MAX_MINUTES)
      throw new BadRequestException(`last must be an integer in 1..${MAX_MINUTES}`);
    const rows = await this.dataSource.query<{ minute: Date; messages: number; power_sum: number }[]>(
      `SELECT minute, messages, power_sum FROM device_minutes
       WHERE device_id = $1 ORDER BY minute DESC LIMIT $2`,
      [deviceId, count],
    );
    return rows.map((r) => ({ minute: r.minute, messages: r.messages, avgPowerW: r.power_sum / r.messages }));
  }
}
