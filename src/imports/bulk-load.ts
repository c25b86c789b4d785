// A first load (an empty system, or an import several times the size of what a table holds) is cheaper
// with a table's indexes and foreign keys set aside and rebuilt once at the end: building a btree from
// sorted rows costs less than a million single insertions with a log record each, and one anti-join
// checks a foreign key for every row at once instead of one lookup per row. Everything is inside the
// import's transaction, so other sessions never see the table without them (they wait on its lock,
// which is why this is only done for a load far larger than the table), a rebuild that fails (say, a
// repeated primary key) rolls the whole step back, and the definitions come from the catalogue, so what
// is rebuilt is exactly what was there.
import type { TransactionSql } from '../db/connect.js';

/** A load this many times the rows a table holds (or more) sets its indexes aside. */
const SHARE = 2;
/** Below this, rebuilding costs more than it saves. */
const MIN_ROWS = 50_000;

/** True when `incoming` rows are a bulk load for `table`: at least MIN_ROWS, and SHARE× what it holds. */
export async function isBulkLoad(tx: TransactionSql, table: string, incoming: number): Promise<boolean> {
  if (incoming < MIN_ROWS) return false;
  // Counting stops one row past the most a bulk load allows (a count that stopped at the limit itself
  // would call any table that reaches it small).
  const limit = Math.floor(incoming / SHARE) + 1;
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from (select 1 from ${tx(table)} limit ${limit}) held`;
  return (row?.n ?? 0) * SHARE <= incoming;
}

interface SetAside {
  name: string;
  /** The statement that rebuilds it. */
  rebuild: string;
  drop: string;
}

/** The foreign keys of other tables that point at `table` (they need its primary key). */
async function referencingKeys(tx: TransactionSql, table: string): Promise<SetAside[]> {
  return tx<SetAside[]>`
    select con.conname as name,
      'alter table ' || con.conrelid::regclass::text || ' drop constraint ' || quote_ident(con.conname) as drop,
      'alter table ' || con.conrelid::regclass::text || ' add constraint ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) as rebuild
    from pg_constraint con
    where con.confrelid = ${table}::regclass and con.contype = 'f'
    order by con.conrelid::regclass::text, con.conname`;
}

/**
 * Drops `table`'s indexes (with the primary key and unique constraints they back, and the other tables'
 * foreign keys that point at them) or its own foreign keys, and returns what rebuilds them: the indexes
 * first, then the keys that need them. Call the result before the transaction commits.
 */
export async function setAside(
  tx: TransactionSql,
  table: string,
  what: 'indexes' | 'foreign keys',
): Promise<() => Promise<void>> {
  const referencing = what === 'indexes' ? await referencingKeys(tx, table) : [];
  const items =
    what === 'indexes'
      ? await tx<SetAside[]>`
          select c.relname as name,
            case when con.oid is null then 'drop index ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                 else 'alter table ' || ${table}::regclass::text || ' drop constraint ' || quote_ident(con.conname) end as drop,
            case when con.oid is null then pg_get_indexdef(i.indexrelid)
                 else 'alter table ' || ${table}::regclass::text || ' add constraint ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) end as rebuild
          from pg_index i
          join pg_class c on c.oid = i.indexrelid
          join pg_namespace n on n.oid = c.relnamespace
          left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
          where i.indrelid = ${table}::regclass
          order by con.oid is null, c.relname`
      : await tx<SetAside[]>`
          select con.conname as name,
            'alter table ' || ${table}::regclass::text || ' drop constraint ' || quote_ident(con.conname) as drop,
            'alter table ' || ${table}::regclass::text || ' add constraint ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) as rebuild
          from pg_constraint con
          where con.conrelid = ${table}::regclass and con.contype = 'f'
          order by con.conname`;
  for (const item of [...referencing, ...items]) await tx.unsafe(item.drop);
  return async () => {
    if (items.length === 0 && referencing.length === 0) return;
    // Sorting for a btree build: enough memory to do it in one pass for a few million rows.
    await tx`set local maintenance_work_mem = '256MB'`;
    for (const item of [...items, ...referencing]) await tx.unsafe(item.rebuild);
  };
}
