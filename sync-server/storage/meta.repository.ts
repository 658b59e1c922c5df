/**
 * Server-wide key/value settings the foundation needs (for example the id of the master
 * key the database's sealed columns are encrypted under). Not for user data.
 */
export interface MetaRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** `server_meta` key holding the SecretBox key id every sealed value uses. */
export const MASTER_KEY_ID_META = 'master_key_id';
