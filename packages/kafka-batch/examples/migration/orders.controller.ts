import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';

interface OrderPlaced {
  orderId: string;
  total: number;
}

// Written for Transport.KAFKA; it runs on KafkaBatchTransport as it is.
@Controller()
export class OrdersController {
  @EventPattern('orders.placed')
  async onOrderPlaced(@Payload() order: OrderPlaced, @Ctx() context: KafkaContext): Promise<void> {
    const { offset, headers } = context.getMessage();
    console.log(
      `order ${order.orderId} at ${context.getTopic()}[${context.getPartition()}]@${offset}`,
      headers,
    );
  }
}
