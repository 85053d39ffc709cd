/**
 * Access tokens (short-lived JWTs signed with the server's secret) and the opaque random secrets
 * behind refresh tokens and API keys, which are stored only as their SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

const ISSUER = 'document-workflow-chain';
const AUDIENCE = 'access';
const ALGORITHM = 'HS256';

export interface AccessClaims {
  userId: string;
  username: string;
  /** The sign-in this token belongs to; revoking it ends the token before it expires. */
  familyId: string;
  jti: string;
}

/** Why a token was refused, in words a person can act on. */
export class TokenRefused extends Error {
  override name = 'TokenRefused';
}

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signAccess(key: Uint8Array, claims: Omit<AccessClaims, 'jti'>, nowMs: number, ttlMs: number): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ name: claims.username, sid: claims.familyId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setJti(randomToken(12))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.max(1, Math.round(ttlMs / 1000)))
    .sign(key);
}

/** The claims of a valid access token, or a {@link TokenRefused} saying what is wrong with it. */
export async function verifyAccess(key: Uint8Array, token: string, nowMs: number): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp', 'jti'],
    });
    if (typeof payload.name !== 'string' || typeof payload.sid !== 'string') throw new TokenRefused('The access token is not one of ours.');
    return { userId: payload.sub!, username: payload.name, familyId: payload.sid, jti: payload.jti! };
  } catch (err) {
    if (err instanceof TokenRefused) throw err;
    if (err instanceof errors.JWTExpired) throw new TokenRefused('The access token has expired; renew it with the refresh token or sign in again.');
    if (err instanceof errors.JWSSignatureVerificationFailed) throw new TokenRefused('The access token’s signature is not valid.');
    throw new TokenRefused('The access token is not valid.');
  }
}

/** Random, URL-safe, `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
