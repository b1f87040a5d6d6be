import { InsertQueryBuilder, ObjectLiteral } from 'typeorm';
import { quoteIdentifier } from './sql-identifiers';

/**
 * TypeORM's insert builder, quoting the table and column names it writes with quoteIdentifier instead
 * of the driver's `escape`, which leaves a quote inside a name as it is. Construct it on a query builder
 * (it takes over its connection and query runner), then call `.insert()`.
 */
export class QuotingInsertQueryBuilder<Entity extends ObjectLiteral> extends InsertQueryBuilder<Entity> {
  override escape(name: string): string {
    return quoteIdentifier(this.connection.driver, name);
  }
}
