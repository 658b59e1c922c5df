import type { SqliteDatabase } from './sqlite-database.js';

import type {
  EmailCodeRecord,
  LoginChallengeRecord,
  MfaRepository,
  TotpRecord,
  WebauthnChallengeRecord,
  WebauthnCredentialRecord,
} from '../mfa.repository.js';
import * as mfaRows from '../rows/mfa.rows.js';

/** MfaRepository over better-sqlite3 (schema: migrations/003-mfa.ts). */
export class SqliteMfaRepository implements MfaRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async getTotp(userId: string): Promise<TotpRecord | null> {
    const row = this.db.prepare('SELECT * FROM mfa_totp WHERE user_id = ?').get(userId) as
      mfaRows.TotpRow | undefined;
    return row === undefined ? null : mfaRows.toTotp(row);
  }

  async putPendingTotp(userId: string, secretSealed: string, now: number): Promise<void> {
    // A confirmed secret is never replaced by a pending one: the service refuses to start a
    // second enrolment, and this guard keeps a race from downgrading an enabled factor.
    this.db
      .prepare(
        `INSERT INTO mfa_totp (user_id, secret_sealed, confirmed_at, last_step, created_at)
         VALUES (?, ?, NULL, NULL, ?)
         ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
           created_at = excluded.created_at, last_step = NULL
         WHERE mfa_totp.confirmed_at IS NULL`,
      )
      .run(userId, secretSealed, now);
  }

  async confirmTotp(userId: string, step: number, now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE mfa_totp SET confirmed_at = ?, last_step = ?
         WHERE user_id = ? AND confirmed_at IS NULL`,
      )
      .run(now, step, userId);
    return result.changes === 1;
  }

  async advanceTotpStep(userId: string, step: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE mfa_totp SET last_step = ?
         WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)`,
      )
      .run(step, userId, step);
    return result.changes === 1;
  }

  async deleteTotp(userId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM mfa_totp WHERE user_id = ?').run(userId).changes === 1;
  }

  async isEmailOtpEnabled(userId: string): Promise<boolean> {
    const row = this.db.prepare('SELECT 1 FROM mfa_email_otp WHERE user_id = ?').get(userId);
    return row !== undefined;
  }

  async setEmailOtpEnabled(userId: string, enabled: boolean, now: number): Promise<void> {
    if (enabled) {
      this.db
        .prepare(
          'INSERT INTO mfa_email_otp (user_id, enabled_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
        )
        .run(userId, now);
    } else {
      this.db.prepare('DELETE FROM mfa_email_otp WHERE user_id = ?').run(userId);
    }
  }

  async putEmailCode(record: EmailCodeRecord): Promise<void> {
    this.db.transaction(() => {
      // Withdrawn, not deleted: the rows still count towards the send limit until pruned.
      this.db
        .prepare(
          `UPDATE mfa_email_codes SET consumed_at = ?
           WHERE user_id = ? AND consumed_at IS NULL AND challenge_id IS ?`,
        )
        .run(record.createdAt, record.userId, record.challengeId);
      this.db
        .prepare(
          `INSERT INTO mfa_email_codes
             (id, user_id, challenge_id, code_hash, created_at, expires_at, consumed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...mfaRows.emailCodeValues(record));
    })();
  }

  async latestEmailCode(
    userId: string,
    challengeId: string | null,
  ): Promise<EmailCodeRecord | null> {
    const row = this.db
      .prepare(
        `SELECT * FROM mfa_email_codes WHERE user_id = ? AND challenge_id IS ?
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get(userId, challengeId) as mfaRows.EmailCodeRow | undefined;
    return row === undefined ? null : mfaRows.toEmailCode(row);
  }

  async consumeEmailCode(id: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE mfa_email_codes SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL')
      .run(now, id);
    return result.changes === 1;
  }

  async countEmailCodesSince(userId: string, since: number): Promise<number> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM mfa_email_codes WHERE user_id = ? AND created_at >= ?')
      .get(userId, since) as { n: number };
    return row.n;
  }

  async replaceBackupCodes(
    userId: string,
    salt: string,
    codeHashes: string[],
    now: number,
  ): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM mfa_backup_codes WHERE user_id = ?').run(userId);
      this.db
        .prepare(
          `INSERT INTO mfa_backup_code_sets (user_id, salt, created_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET salt = excluded.salt, created_at = excluded.created_at`,
        )
        .run(userId, salt, now);
      const insert = this.db.prepare(
        'INSERT INTO mfa_backup_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)',
      );
      for (const hash of codeHashes) insert.run(userId, hash);
    })();
  }

  async backupCodeSalt(userId: string): Promise<string | null> {
    const row = this.db
      .prepare('SELECT salt FROM mfa_backup_code_sets WHERE user_id = ?')
      .get(userId) as { salt: string } | undefined;
    return row?.salt ?? null;
  }

  async consumeBackupCode(userId: string, codeHash: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE mfa_backup_codes SET used_at = ?
         WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
      )
      .run(now, userId, codeHash);
    return result.changes === 1;
  }

  async countUnusedBackupCodes(userId: string): Promise<number> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM mfa_backup_codes WHERE user_id = ? AND used_at IS NULL')
      .get(userId) as { n: number };
    return row.n;
  }

  async deleteBackupCodes(userId: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM mfa_backup_codes WHERE user_id = ?').run(userId);
      this.db.prepare('DELETE FROM mfa_backup_code_sets WHERE user_id = ?').run(userId);
    })();
  }

  async addCredential(record: WebauthnCredentialRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO webauthn_credentials
           (id, user_id, public_key, counter, transports, name, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...mfaRows.credentialValues(record));
  }

  async getCredential(id: string): Promise<WebauthnCredentialRecord | null> {
    const row = this.db.prepare('SELECT * FROM webauthn_credentials WHERE id = ?').get(id) as
      mfaRows.CredentialRow | undefined;
    return row === undefined ? null : mfaRows.toCredential(row);
  }

  async listCredentials(userId: string): Promise<WebauthnCredentialRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id')
      .all(userId) as mfaRows.CredentialRow[];
    return rows.map(mfaRows.toCredential);
  }

  async advanceCredentialCounter(
    id: string,
    expected: number,
    next: number,
    now: number,
  ): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE webauthn_credentials SET counter = ?, last_used_at = ?
         WHERE id = ? AND counter = ?`,
      )
      .run(next, now, id, expected);
    return result.changes === 1;
  }

  async deleteCredential(userId: string, id: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM webauthn_credentials WHERE id = ? AND user_id = ?')
      .run(id, userId);
    return result.changes === 1;
  }

  async renameCredential(userId: string, id: string, name: string): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE webauthn_credentials SET name = ? WHERE id = ? AND user_id = ?')
      .run(name, id, userId);
    return result.changes === 1;
  }

  async getUserHandle(userId: string): Promise<string | null> {
    const row = this.db
      .prepare('SELECT handle FROM webauthn_user_handles WHERE user_id = ?')
      .get(userId) as { handle: string } | undefined;
    return row?.handle ?? null;
  }

  async ensureUserHandle(userId: string, candidate: string): Promise<string> {
    this.db
      .prepare(
        'INSERT INTO webauthn_user_handles (user_id, handle) VALUES (?, ?) ON CONFLICT DO NOTHING',
      )
      .run(userId, candidate);
    const handle = await this.getUserHandle(userId);
    return handle ?? candidate;
  }

  async putWebauthnChallenge(record: WebauthnChallengeRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO webauthn_challenges
           (challenge_hash, ceremony, user_id, login_challenge_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(...mfaRows.webauthnChallengeValues(record));
  }

  async takeWebauthnChallenge(challengeHash: string): Promise<WebauthnChallengeRecord | null> {
    const row = this.db
      .prepare('DELETE FROM webauthn_challenges WHERE challenge_hash = ? RETURNING *')
      .get(challengeHash) as mfaRows.WebauthnChallengeRow | undefined;
    if (row === undefined) return null;
    return mfaRows.toWebauthnChallenge(row);
  }

  async createLoginChallenge(record: LoginChallengeRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO mfa_login_challenges
           (id, token_hash, user_id, context, created_at, expires_at, attempts, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...mfaRows.loginChallengeValues(record));
  }

  async getLoginChallengeByTokenHash(tokenHash: string): Promise<LoginChallengeRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM mfa_login_challenges WHERE token_hash = ?')
      .get(tokenHash) as mfaRows.LoginChallengeRow | undefined;
    return row === undefined ? null : mfaRows.toLoginChallenge(row);
  }

  async reserveChallengeAttempt(id: string, limit: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE mfa_login_challenges SET attempts = attempts + 1
         WHERE id = ? AND ended_at IS NULL AND attempts < ?`,
      )
      .run(id, limit);
    return result.changes === 1;
  }

  async endLoginChallenge(id: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE mfa_login_challenges SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(now, id);
    return result.changes === 1;
  }

  async pruneExpired(now: number): Promise<number> {
    return this.db.transaction(
      () =>
        this.db.prepare('DELETE FROM webauthn_challenges WHERE expires_at <= ?').run(now).changes +
        this.db.prepare('DELETE FROM mfa_email_codes WHERE expires_at <= ?').run(now).changes +
        this.db.prepare('DELETE FROM mfa_login_challenges WHERE expires_at <= ?').run(now).changes,
    )();
  }

  async deleteUserData(userId: string): Promise<void> {
    this.db.transaction(() => {
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
        this.db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).run(userId);
      }
    })();
  }
}
