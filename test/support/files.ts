// Small CSV fixtures written to a temporary folder.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TENANCY_HEADER =
  'tenancy_ref,tenant_no,first_name,last_name,mobile,channel,language,date_of_birth,postcode,tenure,start_date,end_date,rent_frequency,rent_amount,rent_due_day,patch,officer_slack_id,benefit,flags';
export const TRANSACTION_HEADER = 'transaction_id,tenancy_ref,date,type,amount,account,description';

export async function writeCsv(name: string, lines: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rentline-csv-'));
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}
