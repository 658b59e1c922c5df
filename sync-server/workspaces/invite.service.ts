import { createHash, randomBytes } from 'node:crypto';

import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import type { Clock } from '../clock.js';
import { HttpError, conflict, forbidden, notFound } from '../http/errors.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';

/** An invite can be accepted for seven days. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * 256 random bits in base64url, drawn again when the text would start with "-": a token is
 * pasted into `coffer workspace join TOKEN`, where a leading "-" reads as a flag. (One draw
 * in 64 is redrawn; the token keeps its 43 characters and loses under 0.03 bits.)
 */
export function newInviteToken(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const token = random(TOKEN_BYTES).toString('base64url');
    if (!token.startsWith('-')) return token;
  }
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

const inviteNotFound = () => notFound('INVITE_NOT_FOUND', 'No such invite.');

export interface CreatedInvite {
  /** Shown once: only its SHA-256 is stored. */
  token: string;
  expiresAt: string;
}

export interface InviteServiceDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: Clock;
}

/**
 * Invites to a workspace: a 256-bit token handed out once, stored as SHA-256, bound to one
 * email address (kept as its HMAC lookup), single use, valid INVITE_TTL_MS.
 */
export class InviteService {
  constructor(private readonly deps: InviteServiceDeps) {}

  async create(
    workspaceId: string,
    createdBy: string,
    email: string,
    role: WorkspaceRole,
  ): Promise<CreatedInvite> {
    const now = this.deps.clock.now();
    const token = newInviteToken();
    const expiresAt = now + INVITE_TTL_MS;
    await this.deps.storage.workspaces.createInvite({
      id: uuidv7(now),
      workspaceId,
      tokenHash: sha256(token),
      emailLookup: this.deps.secrets.lookupHash('email', email),
      role,
      createdBy,
      createdAt: now,
      expiresAt,
      usedAt: null,
      usedBy: null,
    });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Joins the invite's workspace. In this order: unknown token 404 INVITE_NOT_FOUND; signed
   * in as another address than invited 403 INVITE_WRONG_ACCOUNT (the invite stays usable);
   * used 410 INVITE_USED; expired 410 INVITE_EXPIRED; already a member 409 ALREADY_MEMBER
   * (the invite stays usable). Returns the workspace id and role.
   */
  async accept(
    token: string,
    userId: string,
  ): Promise<{ workspaceId: string; role: WorkspaceRole }> {
    if (!TOKEN_PATTERN.test(token)) throw inviteNotFound();
    const invite = await this.deps.storage.workspaces.findInviteByTokenHash(sha256(token));
    if (invite === null) throw inviteNotFound();
    const user = await this.deps.storage.users.findById(userId);
    if (user === null || user.emailLookup !== invite.emailLookup) {
      throw forbidden('INVITE_WRONG_ACCOUNT', 'This invite is for another email address.');
    }
    const result = await this.deps.storage.workspaces.acceptInvite(
      invite.id,
      userId,
      this.deps.clock.now(),
    );
    switch (result) {
      case 'accepted':
        return { workspaceId: invite.workspaceId, role: invite.role };
      case 'used':
        throw new HttpError(410, 'INVITE_USED', 'This invite was already used.');
      case 'expired':
        throw new HttpError(410, 'INVITE_EXPIRED', 'This invite has expired; ask for a new one.');
      case 'already_member':
        throw conflict('ALREADY_MEMBER', 'You are already a member of this workspace.');
    }
  }
}
