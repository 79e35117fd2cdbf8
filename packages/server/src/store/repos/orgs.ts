import { randomBytes } from 'node:crypto';
import { newId } from '../../core/ids.ts';
import type { RepoDeps } from '../store.ts';
import type { OrganizationsTable } from '../schema.ts';

/** A new webhook signing secret: `whsec_` + 32 random bytes hex (webhooks.md → Signature). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

export class OrgRepo {
  constructor(private readonly d: RepoDeps) {}

  async create(name: string): Promise<OrganizationsTable> {
    const now = new Date(this.d.clock.now());
    const row: OrganizationsTable = { id: newId('org'), name, webhook_secret: newWebhookSecret(), webhook_secret_created_at: now, created_at: now };
    await this.d.db.insertInto('organizations').values(row).execute();
    return row;
  }

  async get(id: string): Promise<OrganizationsTable | undefined> {
    return this.d.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(): Promise<OrganizationsTable[]> {
    return this.d.db.selectFrom('organizations').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  async count(): Promise<number> {
    const r = await this.d.db.selectFrom('organizations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Replaces the default signing secret; the old one stops at once. */
  async rotateWebhookSecret(id: string): Promise<{ secret: string; createdAt: Date }> {
    const secret = newWebhookSecret();
    const createdAt = new Date(this.d.clock.now());
    await this.d.db.updateTable('organizations').set({ webhook_secret: secret, webhook_secret_created_at: createdAt }).where('id', '=', id).execute();
    return { secret, createdAt };
  }
}
