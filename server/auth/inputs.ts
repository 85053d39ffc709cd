/** What the account routes accept, checked before anything is looked up or stored. */
import { z } from 'zod';

/** What an API key may be used for; a key gets only the scopes named when it was made. */
export const SCOPES = ['documents:read', 'documents:write', 'worlds:read', 'worlds:write', 'workflows:read', 'workflows:run', 'neural:write', 'audit:read', 'metrics:read', 'iot:read', 'iot:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, '3 to 32 characters: letters, digits, _ . or -');
export const Password = z.string().min(10, 'at least 10 characters').max(1024, 'at most 1024 characters');
export const TotpCode = z.string().regex(/^\d{6}$/, 'the 6-digit code from the authenticator app');
export const RefreshToken = z.string().min(16).max(200);

export const SignUp = z.strictObject({ username: Username, password: Password });
export const SignIn = z.strictObject({ username: z.string().max(200), password: z.string().max(1024), totp: TotpCode.optional() });
export const Refresh = z.strictObject({ refreshToken: RefreshToken });
export const SignOut = z.strictObject({ refreshToken: RefreshToken.optional() });
export const ChangePassword = z.strictObject({ currentPassword: z.string().max(1024), newPassword: Password });
export const ConfirmTotp = z.strictObject({ code: TotpCode });
export const CreateKey = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  /** Absent: the key lasts until it is revoked. */
  expiresInSeconds: z.number().int().min(1).max(10 * 365 * 86_400).optional(),
});

/** The first few problems of a refused input, with where they are. */
export function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
