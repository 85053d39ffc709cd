/** TOTP second factor (RFC 6238: 6 digits, 30-second steps), as authenticator apps expect. */
import { generate, generateSecret, generateURI, verify } from 'otplib';

const ISSUER = 'Document Workflow Chain';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUrl(username: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: username, secret });
}

/**
 * The time step a code belongs to when it is valid now (one step either side, for clocks a little
 * apart), or undefined. Steps at or before `afterStep` are refused, so a code works only once.
 */
export async function checkTotp(secret: string, code: string, nowMs: number, afterStep?: number): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: 30,
    ...(afterStep !== undefined ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** The code an authenticator app would show at `nowMs` (for tests and tools). */
export function totpCode(secret: string, nowMs: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(nowMs / 1000) });
}
