import type {
  EmailCodeRecord,
  LoginChallengeRecord,
  MfaRepository,
  TotpRecord,
  WebauthnChallengeRecord,
  WebauthnCredentialRecord,
} from '../mfa.repository.js';
import * as mfaRows from '../rows/mfa.rows.js';
import type { PgDatabase } from './pg-database.js';

const changed = (result: { rowCount: number | null }): boolean => result.rowCount === 1;

/** MfaRepository over PostgreSQL (schema: migrations/003-mfa.ts). */
export class PostgresMfaRepository implements MfaRepository {
  constructor(private readonly db: PgDatabase) {}

  async getTotp(userId: string): Promise<TotpRecord | null> {
    const { rows } = await this.db.query<mfaRows.TotpRow>(
      'SELECT * FROM mfa_totp WHERE user_id = $1',
      [userId],
    );
    return rows[0] === undefined ? null : mfaRows.toTotp(rows[0]);
  }

  async putPendingTotp(userId: string, secretSealed: string, now: number): Promise<void> {
    // A confirmed secret is never replaced by a pending one: the service refuses to start a
    // second enrolment, and this guard keeps a race from downgrading an enabled factor.
    await this.db.query(
      `INSERT INTO mfa_totp (user_id, secret_sealed, confirmed_at, last_step, created_at)
       VALUES ($1, $2, NULL, NULL, $3)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
         created_at = excluded.created_at, last_step = NULL
       WHERE mfa_totp.confirmed_at IS NULL`,
      [userId, secretSealed, now],
    );
  }

  async confirmTotp(userId: string, step: number, now: number): Promise<boolean> {
    return changed(
      await this.db.query(
        `UPDATE mfa_totp SET confirmed_at = $1, last_step = $2
          WHERE user_id = $3 AND confirmed_at IS NULL`,
        [now, step, userId],
      ),
    );
  }

  async advanceTotpStep(userId: string, step: number): Promise<boolean> {
    return changed(
      await this.db.query(
        `UPDATE mfa_totp SET last_step = $1
          WHERE user_id = $2 AND (last_step IS NULL OR last_step < $1)`,
        [step, userId],
      ),
    );
  }

  async deleteTotp(userId: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM mfa_totp WHERE user_id = $1', [userId]));
  }

  async isEmailOtpEnabled(userId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM mfa_email_otp WHERE user_id = $1', [
      userId,
    ]);
    return rows.length > 0;
  }

  async setEmailOtpEnabled(userId: string, enabled: boolean, now: number): Promise<void> {
    if (enabled) {
      await this.db.query(
        'INSERT INTO mfa_email_otp (user_id, enabled_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [userId, now],
      );
    } else {
      await this.db.query('DELETE FROM mfa_email_otp WHERE user_id = $1', [userId]);
    }
  }

  async putEmailCode(record: EmailCodeRecord): Promise<void> {
    await this.db.transaction(async () => {
      // Withdrawn, not deleted: the rows still count towards the send limit until pruned.
      await this.db.query(
        `UPDATE mfa_email_codes SET consumed_at = $1
          WHERE user_id = $2 AND consumed_at IS NULL AND challenge_id IS NOT DISTINCT FROM $3`,
        [record.createdAt, record.userId, record.challengeId],
      );
      await this.db.query(
        `INSERT INTO mfa_email_codes
           (id, user_id, challenge_id, code_hash, created_at, expires_at, consumed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        mfaRows.emailCodeValues(record),
      );
    }, 'read committed');
  }

  async latestEmailCode(
    userId: string,
    challengeId: string | null,
  ): Promise<EmailCodeRecord | null> {
    // No rowid here: among codes of one millisecond, the one not withdrawn is the newest
    // (putEmailCode withdraws the others as it writes it).
    const { rows } = await this.db.query<mfaRows.EmailCodeRow>(
      `SELECT * FROM mfa_email_codes WHERE user_id = $1 AND challenge_id IS NOT DISTINCT FROM $2
        ORDER BY created_at DESC, (consumed_at IS NULL) DESC, consumed_at DESC, id DESC
        LIMIT 1`,
      [userId, challengeId],
    );
    return rows[0] === undefined ? null : mfaRows.toEmailCode(rows[0]);
  }

  async consumeEmailCode(id: string, now: number): Promise<boolean> {
    return changed(
      await this.db.query(
        'UPDATE mfa_email_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL',
        [now, id],
      ),
    );
  }

  async countEmailCodesSince(userId: string, since: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM mfa_email_codes WHERE user_id = $1 AND created_at >= $2',
      [userId, since],
    );
    return rows[0]?.n ?? 0;
  }

  async replaceBackupCodes(
    userId: string,
    salt: string,
    codeHashes: string[],
    now: number,
  ): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
      await this.db.query(
        `INSERT INTO mfa_backup_code_sets (user_id, salt, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET salt = excluded.salt, created_at = excluded.created_at`,
        [userId, salt, now],
      );
      await this.db.query(
        `INSERT INTO mfa_backup_codes (user_id, code_hash, used_at)
         SELECT $1, hash, NULL FROM unnest($2::text[]) AS hash`,
        [userId, codeHashes],
      );
    }, 'read committed');
  }

  async backupCodeSalt(userId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ salt: string }>(
      'SELECT salt FROM mfa_backup_code_sets WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.salt ?? null;
  }

  async consumeBackupCode(userId: string, codeHash: string, now: number): Promise<boolean> {
    return changed(
      await this.db.query(
        `UPDATE mfa_backup_codes SET used_at = $1
          WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
        [now, userId, codeHash],
      ),
    );
  }

  async countUnusedBackupCodes(userId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM mfa_backup_codes WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
    return rows[0]?.n ?? 0;
  }

  async deleteBackupCodes(userId: string): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
      await this.db.query('DELETE FROM mfa_backup_code_sets WHERE user_id = $1', [userId]);
    }, 'read committed');
  }

  async addCredential(record: WebauthnCredentialRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO webauthn_credentials
         (id, user_id, public_key, counter, transports, name, created_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      mfaRows.credentialValues(record),
    );
  }

  async getCredential(id: string): Promise<WebauthnCredentialRecord | null> {
    const { rows } = await this.db.query<mfaRows.CredentialRow>(
      'SELECT * FROM webauthn_credentials WHERE id = $1',
      [id],
    );
    return rows[0] === undefined ? null : mfaRows.toCredential(rows[0]);
  }

  async listCredentials(userId: string): Promise<WebauthnCredentialRecord[]> {
    const { rows } = await this.db.query<mfaRows.CredentialRow>(
      'SELECT * FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at, id',
      [userId],
    );
    return rows.map(mfaRows.toCredential);
  }

  async advanceCredentialCounter(
    id: string,
    expected: number,
    next: number,
    now: number,
  ): Promise<boolean> {
    return changed(
      await this.db.query(
        `UPDATE webauthn_credentials SET counter = $1, last_used_at = $2
          WHERE id = $3 AND counter = $4`,
        [next, now, id, expected],
      ),
    );
  }

  async deleteCredential(userId: string, id: string): Promise<boolean> {
    return changed(
      await this.db.query('DELETE FROM webauthn_credentials WHERE id = $1 AND user_id = $2', [
        id,
        userId,
      ]),
    );
  }

  async renameCredential(userId: string, id: string, name: string): Promise<boolean> {
    return changed(
      await this.db.query(
        'UPDATE webauthn_credentials SET name = $1 WHERE id = $2 AND user_id = $3',
        [name, id, userId],
      ),
    );
  }

  async getUserHandle(userId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ handle: string }>(
      'SELECT handle FROM webauthn_user_handles WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.handle ?? null;
  }

  async ensureUserHandle(userId: string, candidate: string): Promise<string> {
    await this.db.query(
      'INSERT INTO webauthn_user_handles (user_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [userId, candidate],
    );
    const handle = await this.getUserHandle(userId);
    return handle ?? candidate;
  }

  async putWebauthnChallenge(record: WebauthnChallengeRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO webauthn_challenges
         (challenge_hash, ceremony, user_id, login_challenge_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      mfaRows.webauthnChallengeValues(record),
    );
  }

  async takeWebauthnChallenge(challengeHash: string): Promise<WebauthnChallengeRecord | null> {
    const { rows } = await this.db.query<mfaRows.WebauthnChallengeRow>(
      'DELETE FROM webauthn_challenges WHERE challenge_hash = $1 RETURNING *',
      [challengeHash],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return mfaRows.toWebauthnChallenge(row);
  }

  async createLoginChallenge(record: LoginChallengeRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO mfa_login_challenges
         (id, token_hash, user_id, context, created_at, expires_at, attempts, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      mfaRows.loginChallengeValues(record),
    );
  }

  async getLoginChallengeByTokenHash(tokenHash: string): Promise<LoginChallengeRecord | null> {
    const { rows } = await this.db.query<mfaRows.LoginChallengeRow>(
      'SELECT * FROM mfa_login_challenges WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0] === undefined ? null : mfaRows.toLoginChallenge(rows[0]);
  }

  async reserveChallengeAttempt(id: string, limit: number): Promise<boolean> {
    return changed(
      await this.db.query(
        `UPDATE mfa_login_challenges SET attempts = attempts + 1
          WHERE id = $1 AND ended_at IS NULL AND attempts < $2`,
        [id, limit],
      ),
    );
  }

  async endLoginChallenge(id: string, now: number): Promise<boolean> {
    return changed(
      await this.db.query(
        'UPDATE mfa_login_challenges SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL',
        [now, id],
      ),
    );
  }

  async pruneExpired(now: number): Promise<number> {
    return this.db.transaction(async () => {
      let count = 0;
      for (const table of ['webauthn_challenges', 'mfa_email_codes', 'mfa_login_challenges']) {
        count +=
          (await this.db.query(`DELETE FROM ${table} WHERE expires_at <= $1`, [now])).rowCount ?? 0;
      }
      return count;
    }, 'read committed');
  }

  async deleteUserData(userId: string): Promise<void> {
    await this.db.transaction(async () => {
      for (const table of [
        'mfa_totp',
        'mfa_email_otp',
        'mfa_email_codes',
        'mfa_backup_codes',
        'mfa_backup_code_sets',
        'webauthn_credentials',
        'webauthn_user_handles',
        'webauthn_challenges',
        'mfa_login_challenges',
      ]) {
        await this.db.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
      }
    }, 'read committed');
  }
}
